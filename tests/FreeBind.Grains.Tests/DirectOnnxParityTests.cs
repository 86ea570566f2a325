using System.Numerics.Tensors;

using FreeBind.Encoders;
using FreeBind.Imaging;
using FreeBind.Jobs;
using FreeBind.Spaces;
using FreeBind.Tests.Infrastructure;
using FreeBind.Text;

using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Tests;

/// <summary>
/// The job's embeddings equal a plain ONNX Runtime run of the unmodified model on the same
/// preprocessed input, one item at a time.
/// </summary>
public sealed class DirectOnnxParityTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>
{
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task JobEmbeddings_EqualDirectOnnxRun()
    {
        using var corpus = new TempDirectory();
        using var output = new TempDirectory();
        foreach (var stem in new[] { "rose", "wizard", "granite" })
        {
            var image = Directory.EnumerateFiles(RepositoryPaths.SampleCorpus, stem + ".*").First(f => !f.EndsWith(".txt", StringComparison.Ordinal));
            File.Copy(image, corpus.Combine(stem + Path.GetExtension(image)));
        }

        File.WriteAllText(corpus.Combine("rose.txt"), "A red rose.");
        File.WriteAllText(corpus.Combine("wizard.txt"), "A cartoon wizard in a purple robe holding a staff, drawn as a mascot.");
        File.WriteAllText(corpus.Combine("granite.txt"), "Grey granite texture.");

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(corpus.Path, output.Path, shardSize: 10));
        Assert.Equal(EmbeddingJobState.Completed, status.State);

        var spaces = SpacesFile.Load(RepositoryPaths.SampleSpaces);
        var resolver = new ModelResolver();
        using var resnetPrep = new InferenceSession(await resolver.ReadAsync("builtin:resnet18-prep", "", default));
        using var resnet = new InferenceSession(await resolver.ReadAsync("builtin:resnet18", "", default));
        using var minilm = new InferenceSession(await resolver.ReadAsync("builtin:minilm", "", default));
        var imageRecipe = (ImageRecipe)spaces.GetSpace("resnet18").Encoders[0].Preprocess!;
        var textRecipe = (TextRecipe)spaces.GetSpace("minilm").Encoders[0].Preprocess!;
        var imagePreprocessor = imageRecipe.CreatePreprocessor(spaces.BaseDirectory);
        var textPreprocessor = textRecipe.CreatePreprocessor(spaces.BaseDirectory);

        var imageRows = DuckDb.Query($"SELECT id, source, embedding FROM read_parquet('{output.Combine("embeddings", "resnet18", "image", "*.parquet")}')");
        Assert.Equal(3, imageRows.Count);
        foreach (var row in imageRows)
        {
            var tensor = imagePreprocessor.Preprocess(File.ReadAllBytes(Path.Combine(corpus.Path, (string)row[1]!))).Inputs[0];
            using var input = OrtValue.CreateTensorValueFromMemory(tensor.Floats!, [1, 3, 224, 224]);
            using var prepared = resnetPrep.Run(new RunOptions(), ["OriginalInput"], [input], ["PreprocessedInput"]);
            using var features = resnet.Run(new RunOptions(), ["Input247"], [prepared[0]], ["Pooling395_Output_0"]);
            var expected = Normalize(features[0].GetTensorDataAsSpan<float>().ToArray());

            AssertClose(expected, ToFloats(row[2]), (string)row[0]!);
        }

        var textRows = DuckDb.Query($"SELECT id, embedding FROM read_parquet('{output.Combine("embeddings", "minilm", "text", "*.parquet")}')");
        Assert.Equal(3, textRows.Count);
        foreach (var row in textRows)
        {
            var inputs = textPreprocessor.Preprocess(File.ReadAllBytes(corpus.Combine((string)row[0]! + ".txt"))).Inputs;
            var ids = inputs.Single(t => t.Name == "input_ids").Int64s!;
            long[] shape = [1, ids.Length];
            using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
            using var maskValue = OrtValue.CreateTensorValueFromMemory(inputs.Single(t => t.Name == "attention_mask").Int64s!, shape);
            using var typesValue = OrtValue.CreateTensorValueFromMemory(inputs.Single(t => t.Name == "token_type_ids").Int64s!, shape);
            using var hidden = minilm.Run(
                new RunOptions(), ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
            var tokens = hidden[0].GetTensorDataAsSpan<float>();
            var mean = new float[384];
            for (var t = 0; t < ids.Length; t++)
            {
                TensorPrimitives.Add(mean, tokens.Slice(t * 384, 384), mean);
            }

            TensorPrimitives.Divide(mean, ids.Length, mean);
            AssertClose(Normalize(mean), ToFloats(row[1]), (string)row[0]!);
        }
    }

    private static float[] Normalize(float[] vector)
    {
        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
        return vector;
    }

    private static float[] ToFloats(object? list) =>
        ((System.Collections.IEnumerable)list!).Cast<object>().Select(Convert.ToSingle).ToArray();

    private static void AssertClose(float[] expected, float[] actual, string id)
    {
        Assert.Equal(expected.Length, actual.Length);
        var maxDifference = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max();
        Assert.True(maxDifference <= Tolerance, $"item '{id}': max abs difference {maxDifference:E2} > {Tolerance:E0}");
    }
}
