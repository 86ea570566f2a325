using System.Diagnostics;
using System.Text;

using FreeBind.Text;

using Xunit.Abstractions;

namespace FreeBind.Tests.Text;

/// <summary>Single-threaded throughput on short captions (cached words), written to the test output.</summary>
/// <remarks>Asserts only that every caption was tokenized: timing on shared CI cores is too noisy for a bound.</remarks>
public sealed class TextThroughputTests(ITestOutputHelper output)
{
    private static readonly byte[][] Captions = Enumerable.Range(0, 20_000)
        .Select(i => Encoding.UTF8.GetBytes(
            $"A photo of {i % 17} dogs playing with a ball in the park, number {i}. Café 東京 🐶"))
        .ToArray();

    [Fact]
    public void Throughput_Clip() => Measure("clip", new TextPreprocessor(TextFixtures.Clip(), 77, true));

    [Fact]
    public void Throughput_Roberta() => Measure(
        "roberta", new TextPreprocessor(TextFixtures.Roberta(), 77, true, attentionMaskName: "attention_mask"));

    [Fact]
    public void Throughput_Bert() => Measure(
        "bert",
        new TextPreprocessor(
            BertTextTokenizer.FromVocab(TextFixtures.MiniLmVocabPath),
            256,
            false,
            attentionMaskName: "attention_mask",
            tokenTypeIdsName: "token_type_ids"));

    private void Measure(string name, TextPreprocessor preprocessor)
    {
        foreach (var caption in Captions.Take(1000))
        {
            preprocessor.Preprocess(caption);
        }

        var tokens = 0L;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        foreach (var caption in Captions)
        {
            tokens += preprocessor.Preprocess(caption).Inputs[0].Shape[0];
        }

        stopwatch.Stop();

        // Process CPU time stays meaningful when other programs share the cores. It also counts
        // test classes that xUnit runs in parallel, so run this class alone for a clean rate.
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        output.WriteLine($"{name}: {Captions.Length} captions, {tokens / (double)Captions.Length:F1} tokens each: "
            + $"{Captions.Length / stopwatch.Elapsed.TotalSeconds:F0} captions/s wall clock, "
            + $"{Captions.Length / cpuSeconds:F0} captions per CPU second, one thread");
        Assert.True(tokens > Captions.Length * 3L);
    }
}
