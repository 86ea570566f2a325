#:project ../FreeBind.Core/FreeBind.Core.csproj
#:property PublishAot=false
// Exact retrieval throughput: random L2-normalised queries against a random gallery, one correct
// item per query, through RetrievalEvaluator (both passes: relevant scores, then the blocked scan).
// Usage: dotnet run bench/EvalBench.cs -- <queries> <gallery> <dimension> <partitions>
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;

using FreeBind.Evaluation;

var queries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var gallery = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var dimension = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1024;
var partitions = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;

static EmbeddingMatrix Random(string prefix, int count, int dimension, int seed)
{
    var random = new Random(seed);
    var values = new float[(long)count * dimension];
    for (var i = 0; i < values.Length; i++)
    {
        values[i] = (float)(random.NextDouble() * 2 - 1);
    }

    for (var r = 0; r < count; r++)
    {
        var row = values.AsSpan(r * dimension, dimension);
        TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
    }

    return new EmbeddingMatrix(Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToList(), dimension, values);
}

var q = Random("", queries, dimension, 1);
var g = Random("", gallery, dimension, 2);
var relevant = Enumerable.Range(0, queries).Select(i => (IReadOnlyList<string>)[$"{i % gallery}"]).ToList();

var stopwatch = Stopwatch.StartNew();
var result = RetrievalEvaluator.Evaluate("q->g", q, g, relevant, partitions);
var seconds = stopwatch.Elapsed.TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"queries={queries} gallery={gallery} dimension={dimension} partitions={partitions} threads={Environment.ProcessorCount} " +
    $"seconds={seconds:0.000} queries_per_s={queries / seconds:0.0} " +
    $"gflops={2.0 * queries * gallery * dimension / seconds / 1e9:0.0} R@1={result.Metrics.RecallAt1:0.0000}"));
