using FreeBind.Bonds;
using FreeBind.Bonds.Graph;
using FreeBind.Media;

using static FreeBind.Tests.Bonds.Graph.BondGraphFixture;

namespace FreeBind.Tests.Bonds.Graph;

public sealed class BondFileTests
{
    private const string DisplacementE = """
        { "name": "d-e", "kind": "displacement", "experts": ["e"],
          "projectors": { "e": "p/u-e" }, "factors": { "image": 0.5, "text": 0.5 } }
        """;

    private const string CombinationA2 = """
        { "name": "c-a2", "kind": "combination", "experts": ["a"],
          "projectors": { "a": "p/a-2" }, "factors": { "audio": 0.8, "text": 0.5 } }
        """;

    [Fact]
    public void Parse_ReadsGraph()
    {
        var file = Load(File(DisplacementE + "," + CombinationA2, """{ "versatile": { "c-a2": { "text": 0.1 } } }"""));

        Assert.Equal("fused", file.Name);
        Assert.Equal("u", file.Base);
        Assert.Equal(6, file.Spaces.Count);
        Assert.Equal(["d-e", "c-a2"], file.Bonds.Select(bond => bond.Name));
        Assert.Equal(BondKind.Displacement, file.Bonds[0].Kind);
        Assert.Equal(0.8f, file.GetBond("c-a2").Factors[Modality.Audio]);
        Assert.Equal("/bonds/p/u-e", file.Bonds[0].ProjectorPaths["e"]);
        Assert.Same(Sets["p/u-e"], file.Bonds[0].ProjectorSets["e"]);
        Assert.Equal(0.1f, file.Profiles["versatile"]["c-a2"][Modality.Text]);
        Assert.Equal(64, file.ContentHash.Length);
    }

    [Fact]
    public void Load_ReadsSampleFile()
    {
        var sample = Path.Combine(RepositoryRoot(), "samples", "bonds", "imagebind-pp.json");
        var requested = new List<string>();

        var file = BondFile.Load(sample, path =>
        {
            requested.Add(Path.GetFileName(path));
            return SampleSet(path);
        });

        Assert.Equal("imagebind++", file.Name);
        Assert.Equal(["d-internvl", "c-clap"], file.Bonds.Select(bond => bond.Name));
        Assert.Equal(["internvl-d", "clap-general-c", "clap-music-c"], requested);
        Assert.Equal(0.5f, file.Profiles["versatile"]["c-clap"][Modality.Audio]);
        var text = BondCompiler.Compile(file, Modality.Text, "at-expertise", null);
        Assert.Equal(768, text.OutputDimension);
        Assert.Equal(["imagebind", "internvl", "clap-general", "clap-music"], text.Inputs);
        Assert.Equal([1024, 768, 512, 512], text.InputDimensions);
        Assert.Equal(0.5f, text.Steps[1].Factor);
        var audio = BondCompiler.Compile(file, Modality.Audio, "versatile", null);
        Assert.True(audio.Steps[0].FactorFixed);
        Assert.Equal(0.5f, audio.Steps[1].Factor);
    }

    [Fact]
    public void Load_RejectsMissingFile()
    {
        var error = Assert.Throws<BondFileException>(() => BondFile.Load("/no/such/bonds.json", LoadSet));

        Assert.Contains("/no/such/bonds.json", error.Message);
    }

    [Fact]
    public void Parse_RejectsInvalidJson()
    {
        var error = LoadError("{ \"name\": ");

        Assert.Contains("not a valid bond file", error);
    }

    [Fact]
    public void Parse_RejectsSpacesFileWithPathAndLine()
    {
        var spacesJson = System.IO.File.ReadAllText(Path.Combine(RepositoryRoot(), "samples", "spaces.json"));

        var error = Assert.Throws<BondFileException>(
            () => BondFile.Parse(spacesJson, BaseDirectory, LoadSet, "samples/spaces.json")).Message;

        Assert.Contains("samples/spaces.json is not a valid bond file", error);
        Assert.Contains("spaces (line 9): expected an object of named entries, found an array", error);
        Assert.Contains("pass it with --spaces", error);
        Assert.DoesNotContain("System.", error);
        Assert.DoesNotContain("Dictionary", error);
    }

    [Fact]
    public void Parse_RejectsUnknownBondKey()
    {
        var error = LoadError(File(DisplacementE.Replace("\"factors\"", "\"factor\"", StringComparison.Ordinal)));

        Assert.Contains("bonds[0] (line ", error);
        Assert.Contains("unknown key 'factor': did you mean 'factors'?", error);
    }

    [Fact]
    public void Parse_RejectsWrongValueKindWithPath()
    {
        var error = LoadError(File(DisplacementE.Replace("\"image\": 0.5", "\"image\": \"half\"", StringComparison.Ordinal)));

        Assert.Contains("bonds[0].factors.image (line ", error);
        Assert.Contains("expected a number, found a string", error);
    }

    [Fact]
    public void Parse_ReportsEveryProblem()
    {
        var bonds = DisplacementE.Replace("\"image\": 0.5", "\"image\": 2") + "," + CombinationA2.Replace("\"a\"]", "\"zz\"]");

        var error = LoadError(File(bonds));

        Assert.Contains("3 problem(s)", error);
        Assert.Contains("bond 'd-e': factor 2 for 'image'", error);
        Assert.Contains("bond 'c-a2': expert space 'zz'", error);
        Assert.Contains("bond 'c-a2': projectors are given for 'a'", error);
    }

    [Fact]
    public void Parse_RejectsUnknownBase()
    {
        var error = LoadError(File(DisplacementE, baseSpace: "imagebind"));

        Assert.Contains("base space 'imagebind' is not declared", error);
    }

    [Fact]
    public void Parse_RejectsUnknownExpert()
    {
        var error = LoadError(File(DisplacementE.Replace("[\"e\"]", "[\"internvl\"]")));

        Assert.Contains("bond 'd-e': expert space 'internvl' is not declared", error);
    }

    [Fact]
    public void Parse_RejectsUnknownModalityInSpace()
    {
        var spaces = """
            "u": { "dimension": 3, "modalities": ["image", "smell"] },
            "e": { "dimension": 2, "modalities": ["image", "text"] }
            """;

        var error = LoadError(File(DisplacementE, spaces: spaces));

        Assert.Contains("space 'u': unknown modality 'smell'", error);
    }

    [Fact]
    public void Parse_RejectsInvalidSpaceDimension()
    {
        var spaces = """
            "u": { "dimension": 0, "modalities": ["image"] },
            "e": { "dimension": 2, "modalities": ["image", "text"] }
            """;

        var error = LoadError(File(DisplacementE, spaces: spaces));

        Assert.Contains("space 'u': \"dimension\" is 0", error);
    }

    [Fact]
    public void Parse_RejectsMissingProjectorPath()
    {
        var error = LoadError(File(DisplacementE.Replace("\"e\": \"p/u-e\"", "\"x\": \"p/u-e\"")));

        Assert.Contains("bond 'd-e': no projector folder for expert 'e'", error);
        Assert.Contains("bond 'd-e': projectors are given for 'x'", error);
    }

    [Fact]
    public void Parse_RejectsMissingProjectorSet()
    {
        var error = LoadError(File(DisplacementE.Replace("p/u-e", "p/absent")));

        Assert.Contains("bond 'd-e': projector set for expert 'e' at 'p/absent' failed to load", error);
        Assert.Contains("not found", error);
    }

    [Fact]
    public void Parse_RejectsCombinationInputDimension()
    {
        // p/u-e maps 3 → 2; a combination of a (2-d) into u (3-d) needs 2 → 3.
        var bond = CombinationA2.Replace("p/a-2", "p/u-e");

        var error = LoadError(File(bond));

        Assert.Contains("bond 'c-a2': projector 'u-e/mix' input dimension is 3, expected 2 (expert 'a')", error);
        Assert.Contains("bond 'c-a2': projector 'u-e/mix' output dimension is 2, expected 3 (running space 'u')", error);
    }

    [Fact]
    public void Parse_RejectsDisplacementDimensions()
    {
        // After d-e the running space is e (2-d), so a second displacement must read 2-d input.
        var second = DisplacementE.Replace("d-e", "d-w").Replace("[\"e\"]", "[\"w\"]").Replace("\"e\": \"p/u-e\"", "\"w\": \"p/u-w\"");

        var error = LoadError(File(DisplacementE + "," + second));

        Assert.Contains("bond 'd-w': projector 'u-w/mix' input dimension is 3, expected 2 (running space 'e')", error);
        Assert.DoesNotContain("output dimension", error);
    }

    [Fact]
    public void Parse_RejectsCombinationAfterDisplacementInOldDimension()
    {
        // c(a) into the 3-d base is wrong once d-e moved the running space to 2-d.
        var bond = CombinationA2.Replace("p/a-2", "p/a-u");

        var error = LoadError(File(DisplacementE + "," + bond));

        Assert.Contains("bond 'c-a2': projector 'a-u/mix' output dimension is 3, expected 2 (running space 'e')", error);
    }

    [Fact]
    public void Parse_RejectsMalformedWeights()
    {
        var broken = Projector(2, [[1, 0], [0, 1], [0, 0]]);
        var set = new ProjectorSet("bad", new Dictionary<string, ProjectorWeights>
        {
            ["mix"] = new ProjectorWeights
            {
                Architecture = broken.Architecture,
                Weight1 = broken.Weight1,
                Bias1 = broken.Bias1,
                Weight2 = [1, 0, 0],
                Bias2 = broken.Bias2,
            },
        });
        var json = File(CombinationA2.Replace("p/a-2", "p/bad"));

        var error = Assert.Throws<BondFileException>(() => BondFile.Parse(json, BaseDirectory, _ => set)).Message;

        Assert.Contains("bond 'c-a2': projector 'bad/mix': Weight2 has 3 values, expected 6", error);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public void Parse_RejectsFactorOutOfRange(string factor)
    {
        var error = LoadError(File(CombinationA2.Replace("\"audio\": 0.8", $"\"audio\": {factor}")));

        Assert.Contains($"bond 'c-a2': factor {factor} for 'audio' is outside [0, 1]", error);
    }

    [Fact]
    public void Parse_RejectsUnknownFactorModality()
    {
        var error = LoadError(File(CombinationA2.Replace("\"audio\": 0.8", "\"audio\": 0.8, \"smell\": 0.2")));

        Assert.Contains("bond 'c-a2': factor for unknown modality 'smell'", error);
    }

    [Fact]
    public void Parse_RejectsMissingFactor()
    {
        var error = LoadError(File(CombinationA2.Replace("\"audio\": 0.8, ", "")));

        Assert.Contains("bond 'c-a2' has no factor for 'audio'", error);
    }

    [Fact]
    public void Parse_AllowsNoFactorForReplacement()
    {
        // d-e replaces audio (e lacks audio), so it needs no audio factor.
        var file = Load(File(DisplacementE));

        Assert.DoesNotContain(Modality.Audio, file.Bonds[0].Factors.Keys);
    }

    [Fact]
    public void Parse_RejectsFactorForReplacement()
    {
        var error = LoadError(File(DisplacementE.Replace("\"image\": 0.5", "\"image\": 0.5, \"audio\": 0.3")));

        Assert.Contains("bond 'd-e': factor for 'audio' is not used", error);
        Assert.Contains("fixed at 1", error);
    }

    [Fact]
    public void Parse_RejectsFactorForSkippedModality()
    {
        var error = LoadError(File(CombinationA2.Replace("\"audio\": 0.8", "\"audio\": 0.8, \"image\": 0.3")));

        Assert.Contains("bond 'c-a2': factor for 'image' is not used", error);
    }

    [Fact]
    public void Parse_RejectsUnknownKind()
    {
        var error = LoadError(File(CombinationA2.Replace("\"combination\"", "\"merge\"")));

        Assert.Contains("bond 'c-a2': kind 'merge' is unknown", error);
    }

    [Fact]
    public void Parse_RejectsEmptyExperts()
    {
        var error = LoadError(File(CombinationA2.Replace("[\"a\"]", "[]").Replace("\"a\": \"p/a-2\"", "")));

        Assert.Contains("bond 'c-a2': \"experts\" is empty", error);
    }

    [Fact]
    public void Parse_RejectsDuplicateBondNames()
    {
        var error = LoadError(File(DisplacementE + "," + CombinationA2.Replace("c-a2", "d-e")));

        Assert.Contains("bond 'd-e' is declared twice", error);
    }

    [Fact]
    public void Parse_RejectsParallelDisplacementDimensions()
    {
        const string bond = """
            { "name": "d-ew", "kind": "displacement", "experts": ["e", "w"],
              "projectors": { "e": "p/u-e", "w": "p/u-w" }, "factors": { "image": 0.5, "text": 0.5 } }
            """;

        var error = LoadError(File(bond));

        Assert.Contains("bond 'd-ew': parallel displacement experts have different dimensions (e 2, w 4)", error);
    }

    [Fact]
    public void Parse_RejectsUnknownProfileBond()
    {
        var error = LoadError(File(CombinationA2, """{ "versatile": { "c-clap": { "text": 0.1 } } }"""));

        Assert.Contains("profile 'versatile': bond 'c-clap' is not declared", error);
    }

    [Fact]
    public void Parse_RejectsUnknownProfileModality()
    {
        var error = LoadError(File(CombinationA2, """{ "versatile": { "c-a2": { "sound": 0.1 } } }"""));

        Assert.Contains("profile 'versatile', bond 'c-a2': factor for unknown modality 'sound'", error);
    }

    [Fact]
    public void Parse_RejectsProfileFactorOutOfRange()
    {
        var error = LoadError(File(CombinationA2, """{ "versatile": { "c-a2": { "text": 1.1 } } }"""));

        Assert.Contains("profile 'versatile', bond 'c-a2': factor 1.1 for 'text' is outside [0, 1]", error);
    }

    private static ProjectorSet SampleSet(string path)
    {
        // The sample's folders are not shipped; build sets of the sizes the sample declares.
        var (input, output) = Path.GetFileName(path) switch
        {
            "internvl-d" => (1024, 768),
            "clap-general-c" or "clap-music-c" => (512, 768),
            var other => throw new DirectoryNotFoundException($"unexpected projector folder '{other}'"),
        };
        var weights = new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(input, 4, output, BatchNorm: false),
            Weight1 = new float[4 * input],
            Bias1 = new float[4],
            Weight2 = new float[output * 4],
            Bias2 = new float[output],
        };
        return new ProjectorSet(Path.GetFileName(path), new Dictionary<string, ProjectorWeights> { ["mix"] = weights });
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "samples")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("repository root with samples/ not found");
    }
}
