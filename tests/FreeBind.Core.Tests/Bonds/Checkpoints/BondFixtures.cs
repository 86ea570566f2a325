using System.Text.Json;

namespace FreeBind.Tests.Bonds.Checkpoints;

/// <summary>Paths and golden cases under Fixtures/Bonds, written by tools/golden/bonds/make_projector_golden.py.</summary>
internal static class BondFixtures
{
    private static readonly Lazy<IReadOnlyDictionary<string, GoldenCase>> LoadedCases = new(LoadCases);

    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Bonds", file);

    public static IReadOnlyDictionary<string, GoldenCase> Cases => LoadedCases.Value;

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (string name in Cases.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    private static IReadOnlyDictionary<string, GoldenCase> LoadCases()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(PathOf("cases.json")));
        var cases = new Dictionary<string, GoldenCase>(StringComparer.Ordinal);
        foreach (JsonElement element in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var golden = new GoldenCase(
                element.GetProperty("name").GetString()!,
                element.GetProperty("file").GetString()!,
                element.GetProperty("prefix").GetString()!,
                element.GetProperty("inputDimension").GetInt32(),
                element.GetProperty("hiddenDimension").GetInt32(),
                element.GetProperty("outputDimension").GetInt32(),
                element.GetProperty("activation").GetString()!,
                element.GetProperty("batchNorm").GetBoolean(),
                ReadRows(element.GetProperty("inputs")),
                ReadRows(element.GetProperty("outputs")));
            cases[golden.Name] = golden;
        }

        return cases;
    }

    private static float[][] ReadRows(JsonElement rows)
        => rows.EnumerateArray()
            .Select(row => row.EnumerateArray().Select(value => (float)value.GetDouble()).ToArray())
            .ToArray();
}

/// <summary>One golden projector: its checkpoint file, architecture, inputs and PyTorch's outputs.</summary>
internal sealed record GoldenCase(
    string Name,
    string File,
    string Prefix,
    int InputDimension,
    int HiddenDimension,
    int OutputDimension,
    string Activation,
    bool BatchNorm,
    float[][] Inputs,
    float[][] Outputs);
