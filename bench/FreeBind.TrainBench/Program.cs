// Training throughput of one 512 -> 2048 -> 1024 projector (ReLU, BatchNorm) with symmetric
// InfoNCE and AdamW, split over in-process shards. Prints one line of key=value pairs.
//
// Usage: freebind-train-bench [--batch B] [--steps N] [--threads T] [--workers W]
using System.Diagnostics;
using System.Globalization;

using FreeBind.Bonds;
using FreeBind.Encoders;
using FreeBind.Training;

int batch = 4096;
int steps = 10;
int threads = 2;
int workers = 1;
for (int i = 0; i < args.Length; i += 2)
{
    string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"option '{args[i]}' needs a value");
    int number = int.Parse(value, CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--batch": batch = number; break;
        case "--steps": steps = number; break;
        case "--threads": threads = number; break;
        case "--workers": workers = number; break;
        default: throw new ArgumentException($"unknown option '{args[i]}'; use --batch, --steps, --threads or --workers");
    }
}

const int Input = 512;
const int Hidden = 2048;
const int Output = 1024;
var random = new Random(1);
float[] Uniform(int count, double halfWidth, double center = 0)
{
    var values = new float[count];
    for (int i = 0; i < count; i++)
    {
        values[i] = (float)(center + halfWidth * (2 * random.NextDouble() - 1));
    }

    return values;
}

var weights = new ProjectorWeights
{
    Architecture = new ProjectorArchitecture(Input, Hidden, Output),
    Weight1 = Uniform(Hidden * Input, 1 / Math.Sqrt(Input)),
    Bias1 = Uniform(Hidden, 1 / Math.Sqrt(Input)),
    Norm1Scale = Uniform(Hidden, 0, 1),
    Norm1Shift = new float[Hidden],
    Norm1RunningMean = new float[Hidden],
    Norm1RunningVariance = Uniform(Hidden, 0, 1),
    Weight2 = Uniform(Output * Hidden, 1 / Math.Sqrt(Hidden)),
    Bias2 = Uniform(Output, 1 / Math.Sqrt(Hidden)),
    Norm2Scale = Uniform(Output, 0, 1),
    Norm2Shift = new float[Output],
    Norm2RunningMean = new float[Output],
    Norm2RunningVariance = Uniform(Output, 0, 1),
};

float[] source = Uniform(batch * Input, 1);
float[] target = Uniform(batch * Output, 1);
var shards = new List<TrainingShard>();
int start = 0;
for (int w = 0; w < workers; w++)
{
    int rows = batch / workers + (w < batch % workers ? 1 : 0);
    var shard = new TrainingShard(new TrainingShardOptions { Provider = ExecutionProvider.Cpu, IntraOpThreads = threads });
    shard.LoadBatch(source[(start * Input)..((start + rows) * Input)], target[(start * Output)..((start + rows) * Output)], rows);
    shards.Add(shard);
    start += rows;
}

var options = new TrainingOptions();
var state = new ProjectorTrainingState(weights, options);
var coordinator = new TrainingStepCoordinator(shards, options);
await coordinator.StepAsync(state, CancellationToken.None);

var stopwatch = Stopwatch.StartNew();
double loss = 0;
for (int step = 0; step < steps; step++)
{
    loss = (await coordinator.StepAsync(state, CancellationToken.None)).Loss.Total;
}

double seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"csharp workers={workers} dims=512x2048x1024 batch={batch} threads={threads} steps={steps} seconds={seconds:F2} "
    + $"pairs_per_s={batch * steps / seconds:F1} loss={loss:F4}"));
foreach (TrainingShard shard in shards)
{
    shard.Dispose();
}
