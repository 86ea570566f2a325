using FreeBind.Bonds;
using FreeBind.Bonds.Graph;

namespace FreeBind.Tests.Bonds.Graph;

/// <summary>
/// Tiny spaces and projectors whose outputs can be computed by hand. Every projector has an
/// identity first layer (hidden = input) without BatchNorm, so on non-negative inputs
/// P(x) = normalize(W2 · x).
/// </summary>
internal static class BondGraphFixture
{
    public const string BaseDirectory = "/bonds";

    private const string SpacesJson = """
        "u": { "dimension": 3, "modalities": ["image", "text", "audio"] },
        "e": { "dimension": 2, "modalities": ["image", "text"] },
        "f": { "dimension": 2, "modalities": ["image"] },
        "w": { "dimension": 4, "modalities": ["image", "text"] },
        "a": { "dimension": 2, "modalities": ["audio", "text"] },
        "b": { "dimension": 2, "modalities": ["audio"] }
        """;

    /// <summary>Projector sets by folder, relative to <see cref="BaseDirectory"/>.</summary>
    public static readonly IReadOnlyDictionary<string, ProjectorSet> Sets = new Dictionary<string, ProjectorSet>
    {
        // a (2-d) → u (3-d): (x, y) → (x, y, 0).
        ["p/a-u"] = Set("a-u", Projector(2, [[1, 0], [0, 1], [0, 0]])),

        // b (2-d) → u (3-d): (x, y) → (0, 0, x).
        ["p/b-u"] = Set("b-u", Projector(2, [[0, 0], [0, 0], [1, 0]])),

        // a (2-d) → u (3-d), two data modes: mix (x, y, 0) and A (0, 0, x + y).
        ["p/a-u-ensemble"] = new ProjectorSet("a-u-ensemble", new Dictionary<string, ProjectorWeights>
        {
            ["mix"] = Projector(2, [[1, 0], [0, 1], [0, 0]]),
            ["A"] = Projector(2, [[0, 0], [0, 0], [1, 1]]),
        }),

        // u (3-d) → e (2-d): (x, y, z) → (x, y + z).
        ["p/u-e"] = Set("u-e", Projector(3, [[1, 0, 0], [0, 1, 1]])),

        // u (3-d) → f (2-d): (x, y, z) → (y, x + z).
        ["p/u-f"] = Set("u-f", Projector(3, [[0, 1, 0], [1, 0, 1]])),

        // u (3-d) → w (4-d).
        ["p/u-w"] = Set("u-w", Projector(3, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])),

        // a (2-d) → a 2-d running space: (x, y) → (y, x).
        ["p/a-2"] = Set("a-2", Projector(2, [[0, 1], [1, 0]])),
    };

    public static string File(string bonds, string profiles = "{}", string spaces = SpacesJson, string baseSpace = "u") => $$"""
        // test bond file
        {
          "name": "fused",
          "base": "{{baseSpace}}",
          "spaces": { {{spaces}} },
          "bonds": [ {{bonds}} ],
          "profiles": {{profiles}},
        }
        """;

    public static BondFile Load(string json) => BondFile.Parse(json, BaseDirectory, LoadSet);

    /// <summary>Loads a file that must be invalid and returns the error message.</summary>
    public static string LoadError(string json) => Assert.Throws<BondFileException>(() => Load(json)).Message;

    public static ProjectorSet LoadSet(string fullPath)
    {
        var relative = Path.GetRelativePath(BaseDirectory, fullPath);
        return Sets.TryGetValue(relative, out var set)
            ? set
            : throw new DirectoryNotFoundException($"projector folder '{fullPath}' not found");
    }

    public static float[] Apply(FusionPlan plan, params (string Space, float[] Embedding)[] inputs) =>
        FusionPlanReference.Apply(
            plan,
            inputs.ToDictionary(input => input.Space, input => input.Embedding),
            ReferenceProjector.Forward);

    public static void AssertClose(double[] expected, float[] actual, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]}, actual {actual[i]} (all: {string.Join(", ", actual)})");
        }
    }

    private static ProjectorSet Set(string name, ProjectorWeights mix) =>
        new(name, new Dictionary<string, ProjectorWeights> { ["mix"] = mix });

    /// <summary>Identity first layer, then <paramref name="rows"/> as the second layer, no BatchNorm.</summary>
    public static ProjectorWeights Projector(int input, float[][] rows)
    {
        var identity = new float[input * input];
        for (var i = 0; i < input; i++)
        {
            identity[(i * input) + i] = 1;
        }

        return new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(input, input, rows.Length, BatchNorm: false),
            Weight1 = identity,
            Bias1 = new float[input],
            Weight2 = rows.SelectMany(row => row).ToArray(),
            Bias2 = new float[rows.Length],
        };
    }
}
