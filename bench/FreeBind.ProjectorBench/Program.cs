// Times a projector ensemble (FusionGraphBuilder.BuildEnsemble + FusionRunner, CPU) on random
// weights and inputs and prints embeddings/s and the achieved GFLOP/s of the two Linear layers.
// Usage: freebind-projector-bench [--count N] [--batch B] [--threads T] [--members K]
//                                 [--dims IN,HIDDEN,OUT] [--layout PerMember|Batched] [--save-plan-model PATH]
// --save-plan-model writes a small two-step fusion plan model with factor inputs to PATH and exits.
using System.Diagnostics;

using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Media;

var count = 100_000;
var batch = 4096;
var threads = 2;
var members = 14;
var layout = ProjectorLayout.PerMember;
int[] dims = [512, 2048, 1024];
for (var i = 0; i < args.Length; i += 2)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option '{args[i]}' needs a value.");
    switch (args[i])
    {
        case "--count": count = int.Parse(value); break;
        case "--batch": batch = int.Parse(value); break;
        case "--threads": threads = int.Parse(value); break;
        case "--members": members = int.Parse(value); break;
        case "--layout": layout = Enum.Parse<ProjectorLayout>(value, ignoreCase: true); break;
        case "--dims": dims = value.Split(',').Select(int.Parse).ToArray(); break;
        case "--save-plan-model":
            File.WriteAllBytes(value, FusionGraphBuilder.Build(SmallPlan(), new FusionGraphOptions()));
            Console.WriteLine($"wrote {value}");
            return;
        default: throw new ArgumentException($"unknown option '{args[i]}'; see the usage in Program.cs.");
    }
}

var random = new Random(1);
var weights = Enumerable.Range(0, members).Select(_ => Projector(random, dims[0], dims[1], dims[2], "relu")).ToList();
var input = new float[batch * dims[0]];
for (var i = 0; i < input.Length; i++)
{
    input[i] = (random.NextSingle() * 2) - 1;
}

using var runner = FusionRunner.CreateEnsemble(
    weights, new FusionRunnerOptions { Provider = ExecutionProvider.Cpu, IntraOpThreads = threads }, layout: layout);
runner.Run([input], batch);

var done = 0;
var watch = Stopwatch.StartNew();
while (done < count)
{
    var rows = Math.Min(batch, count - done);
    var rowsInput = rows == batch ? input : input[..(rows * dims[0])];
    runner.Run([rowsInput], rows);
    done += rows;
}

var seconds = watch.Elapsed.TotalSeconds;
var flops = 2.0 * count * members * (((double)dims[0] * dims[1]) + ((double)dims[1] * dims[2]));
Console.WriteLine(
    $"csharp layout={layout} members={members} dims={string.Join("x", dims)} batch={batch} threads={threads} count={count} " +
    $"seconds={seconds:F2} embeddings_per_s={count / seconds:F1} gflops={flops / seconds / 1e9:F1}");

static ProjectorWeights Projector(Random random, int inputs, int hidden, int outputs, string activation)
{
    float[] Values(int n, float spread, float center = 0)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = center + (((random.NextSingle() * 2) - 1) * spread);
        }

        return values;
    }

    return new ProjectorWeights
    {
        Architecture = new ProjectorArchitecture(inputs, hidden, outputs, activation),
        Weight1 = Values(hidden * inputs, 1 / MathF.Sqrt(inputs)),
        Bias1 = Values(hidden, 0.01f),
        Norm1Scale = Values(hidden, 0.5f, 1),
        Norm1Shift = Values(hidden, 0.1f),
        Norm1RunningMean = Values(hidden, 0.1f),
        Norm1RunningVariance = Values(hidden, 0.5f, 1),
        Weight2 = Values(outputs * hidden, 1 / MathF.Sqrt(hidden)),
        Bias2 = Values(outputs, 0.01f),
        Norm2Scale = Values(outputs, 0.5f, 1),
        Norm2Shift = Values(outputs, 0.1f),
        Norm2RunningMean = Values(outputs, 0.1f),
        Norm2RunningVariance = Values(outputs, 0.5f, 1),
    };
}

static FusionPlan SmallPlan()
{
    var random = new Random(2);
    return new FusionPlan(
        Modality.Image,
        ["base", "expert-a", "expert.b"],
        [8, 12, 6],
        [
            new FusionStep("d(expert-a)", "expert-a", 0.7f, false,
                [new(FusionStep.Current, Projector(random, 8, 16, 12, "gelu"), "a/mix")], 12),
            new FusionStep("c(expert.b)", FusionStep.Current, 0.25f, false,
                [new("expert.b", Projector(random, 6, 16, 12, "silu"), "b/mix"),
                 new("expert.b", Projector(random, 6, 16, 12, "relu"), "b/A")], 12),
            new FusionStep("d(expert.b)", FusionStep.Current, 1f, true,
                [new(FusionStep.Current, Projector(random, 12, 16, 6, "tanh"), "b/T")], 6),
        ],
        6);
}
