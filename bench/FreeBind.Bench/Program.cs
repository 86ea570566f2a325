// Bare ONNX Runtime baseline for bench/embed.sh.
//
// Loads one encoder through EncoderCatalog exactly as a silo does: same spaces file, same
// ModelResolver and EncoderOptions from FreeBind__Encoders__* environment variables, so the
// session options and thread settings match. Preprocesses the images once without timing it,
// then times only OnnxEncoder.Encode over consecutive batches and prints items/s. Like the
// pipeline, it runs the encoder plan's number of streams, each taking the next batch in turn.
//
// Usage: freebind-bench --spaces FILE --input FOLDER [--count N] [--space NAME] [--batch-size N] [--streams N]
using System.Diagnostics;
using System.Globalization;

using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Spaces;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

var arguments = ParseArguments(args);
var spacesPath = Require(arguments, "--spaces");
var inputFolder = Require(arguments, "--input");
var space = arguments.GetValueOrDefault("--space", "resnet18");
var count = int.Parse(arguments.GetValueOrDefault("--count", "0"), CultureInfo.InvariantCulture);
var batchSizeOverride = int.Parse(arguments.GetValueOrDefault("--batch-size", "0"), CultureInfo.InvariantCulture);
var streamsOverride = int.Parse(arguments.GetValueOrDefault("--streams", "0"), CultureInfo.InvariantCulture);

var encoderOptions = new EncoderOptions();
new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .Build()
    .GetSection(EncoderOptions.SectionName)
    .Bind(encoderOptions);

var files = Directory.GetFiles(inputFolder, "*.jpg").Order(StringComparer.Ordinal).ToList();
if (count > 0)
{
    if (files.Count < count)
    {
        Console.Error.WriteLine($"error: folder '{inputFolder}' has {files.Count} .jpg files, {count} requested: generate more images.");
        return 2;
    }

    files = files.Take(count).ToList();
}

if (files.Count == 0)
{
    Console.Error.WriteLine($"error: folder '{inputFolder}' has no .jpg files: pass the folder of benchmark images.");
    return 2;
}

var spaces = SpacesFile.Load(Path.GetFullPath(spacesPath));
var resolver = new ModelResolver(encoderOptions.BuiltinModelDirectory);
using var catalog = new EncoderCatalog(
    Microsoft.Extensions.Options.Options.Create(encoderOptions), resolver, NullLogger<EncoderCatalog>.Instance);

var loadTimer = Stopwatch.StartNew();
var encoder = await catalog.GetAsync(spaces, space, Modality.Image, CancellationToken.None);
var batchSize = batchSizeOverride > 0 ? batchSizeOverride : encoder.Spec.BatchSize;

// The pipeline runs encoder.Plan.Streams batches at once, and so does the bare loop by default.
var streams = streamsOverride > 0 ? streamsOverride : encoder.Plan.Streams;
Console.WriteLine(FormattableString.Invariant(
    $"bare: encoder {encoder.Label} on {encoder.Provider}, loaded in {loadTimer.Elapsed.TotalSeconds:F2} s, {streams} stream(s) × {encoder.Plan.IntraOpThreads} intra-op thread(s), batch size {batchSize}"));

// Steady preprocessing cost on one thread, as a shard pays it per item: the files are already in
// memory and each item's tensor goes back to the pool, as the pipeline returns it after its batch.
var sample = files.Take(128).Select(File.ReadAllBytes).ToArray();
var bestMilliseconds = double.MaxValue;
for (var pass = 0; pass < 3; pass++)
{
    var passTimer = Stopwatch.StartNew();
    foreach (var bytes in sample)
    {
        encoder.Preprocessor.Preprocess(bytes).ReturnPooledBuffers();
    }

    bestMilliseconds = Math.Min(bestMilliseconds, passTimer.Elapsed.TotalMilliseconds / sample.Length);
}

Console.WriteLine(FormattableString.Invariant(
    $"bare: preprocessing on one thread takes {bestMilliseconds:F2} ms per image (best of 3 passes over {sample.Length} images)"));

// Preprocessing is not timed: read and preprocess every image once, in parallel.
// Process CPU time around each phase tells what preprocessing costs next to inference: the
// pipeline runs both on the same cores, so preprocess CPU per item is what it pays over bare.
var process = Process.GetCurrentProcess();
var prepareTimer = Stopwatch.StartNew();
var prepareCpu = process.TotalProcessorTime;
var items = new PreprocessedItem[files.Count];
Parallel.For(0, files.Count, i => items[i] = encoder.Preprocessor.Preprocess(File.ReadAllBytes(files[i])));
process.Refresh();
prepareCpu = process.TotalProcessorTime - prepareCpu;
Console.WriteLine(FormattableString.Invariant(
    $"bare: preprocessed {items.Length} images in {prepareTimer.Elapsed.TotalSeconds:F2} s (not timed), {prepareCpu.TotalMilliseconds / items.Length:F1} CPU ms per item"));

var batches = items.Chunk(batchSize).ToList();
process.Refresh();
var inferenceCpu = process.TotalProcessorTime;
var embedded = 0;
var firstBatchSeconds = 0.0;
var next = -1;
var inference = Stopwatch.StartNew();

// Each stream takes the next batch until none is left, as the pipeline's inference streams do.
var workers = Enumerable.Range(0, streams).Select(_ => Task.Run(() =>
{
    int index;
    while ((index = Interlocked.Increment(ref next)) < batches.Count)
    {
        var vectors = encoder.Encode(batches[index]);
        if (index == 0)
        {
            firstBatchSeconds = inference.Elapsed.TotalSeconds;
        }

        Interlocked.Add(ref embedded, vectors.Length);
    }
})).ToArray();
await Task.WhenAll(workers);
inference.Stop();

var seconds = inference.Elapsed.TotalSeconds;
process.Refresh();
inferenceCpu = process.TotalProcessorTime - inferenceCpu;
Console.WriteLine(FormattableString.Invariant(
    $"bare: inference used {inferenceCpu.TotalMilliseconds / embedded:F1} CPU ms per item, {streams} stream(s)"));
var steadySeconds = seconds - firstBatchSeconds;
var steadyItems = embedded - batches[0].Length;
var steadyRate = steadyItems > 0 ? steadyItems / steadySeconds : 0;
Console.WriteLine(FormattableString.Invariant(
    $"bare: {embedded} items in {seconds:F2} s, {embedded / seconds:F1} items/s (first batch {firstBatchSeconds:F2} s, without it {steadyRate:F1} items/s)"));
return 0;

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
        {
            throw new ArgumentException(
                $"argument '{args[i]}' is invalid: use --spaces FILE --input FOLDER [--count N] [--space NAME] [--batch-size N] [--streams N].");
        }

        result[args[i]] = args[++i];
    }

    return result;
}

static string Require(Dictionary<string, string> arguments, string name) =>
    arguments.TryGetValue(name, out var value)
        ? value
        : throw new ArgumentException($"option {name} is missing: use --spaces FILE --input FOLDER [--count N].");
