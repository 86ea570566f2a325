using System.Text.Json;

using FreeBind.Bonds;

namespace FreeBind.Tests.Training;

/// <summary>Golden training cases under Fixtures/training, written by tools/golden/training/make_training_golden.py.</summary>
internal static class TrainingFixtures
{
    private static readonly Lazy<IReadOnlyDictionary<string, TrainingCase>> LoadedCases = new(LoadCases);

    public static IReadOnlyDictionary<string, TrainingCase> Cases => LoadedCases.Value;

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (string name in Cases.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    /// <summary>
    /// Returns max|actual − expected| / max(max|expected|, floor): a relative error over the whole
    /// tensor that tiny entries cannot inflate.
    /// </summary>
    public static double RelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double floor = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDifference = 0;
        double maxExpected = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs((double)actual[i] - expected[i]));
            maxExpected = Math.Max(maxExpected, Math.Abs((double)expected[i]));
        }

        return maxDifference / Math.Max(maxExpected, floor);
    }

    public static ProjectorWeights Weights(TrainingCase golden, IReadOnlyDictionary<string, float[]> tensors)
    {
        var architecture = new ProjectorArchitecture(
            golden.InputDimension, golden.HiddenDimension, golden.OutputDimension, golden.Activation, golden.BatchNorm);
        string second = golden.BatchNorm ? "3" : "2";
        float[]? Norm(string key) => golden.BatchNorm ? (float[])tensors[key].Clone() : null;
        return new ProjectorWeights
        {
            Architecture = architecture,
            Weight1 = (float[])tensors["0.weight"].Clone(),
            Bias1 = (float[])tensors["0.bias"].Clone(),
            Norm1Scale = Norm("1.weight"),
            Norm1Shift = Norm("1.bias"),
            Norm1RunningMean = Norm("1.running_mean"),
            Norm1RunningVariance = Norm("1.running_var"),
            Weight2 = (float[])tensors[second + ".weight"].Clone(),
            Bias2 = (float[])tensors[second + ".bias"].Clone(),
            Norm2Scale = Norm("4.weight"),
            Norm2Shift = Norm("4.bias"),
            Norm2RunningMean = Norm("4.running_mean"),
            Norm2RunningVariance = Norm("4.running_var"),
        };
    }

    private static IReadOnlyDictionary<string, TrainingCase> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "training", "cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new Dictionary<string, TrainingCase>(StringComparer.Ordinal);
        foreach (JsonElement element in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var golden = new TrainingCase(
                element.GetProperty("name").GetString()!,
                element.GetProperty("inputDimension").GetInt32(),
                element.GetProperty("hiddenDimension").GetInt32(),
                element.GetProperty("outputDimension").GetInt32(),
                element.GetProperty("batch").GetInt32(),
                element.GetProperty("activation").GetString()!,
                element.GetProperty("batchNorm").GetBoolean(),
                element.GetProperty("mseWeight").GetDouble(),
                element.GetProperty("learnableTemperature").GetBoolean(),
                element.GetProperty("clipNorm").GetDouble(),
                element.GetProperty("temperature").GetDouble(),
                element.GetProperty("learningRate").GetDouble(),
                element.GetProperty("weightDecay").GetDouble(),
                element.GetProperty("steps").GetInt32(),
                element.GetProperty("warmupSteps").GetInt32(),
                element.GetProperty("totalSteps").GetInt32(),
                element.GetProperty("minLearningRateRatio").GetDouble(),
                Floats(element.GetProperty("source")),
                Floats(element.GetProperty("target")),
                Tensors(element.GetProperty("initial")),
                Tensors(element.GetProperty("gradients")),
                element.GetProperty("gradientNorm").GetDouble(),
                element.GetProperty("losses").EnumerateArray().Select(value => value.GetDouble()).ToArray(),
                element.GetProperty("learningRates").EnumerateArray().Select(value => value.GetDouble()).ToArray(),
                Tensors(element.GetProperty("final")),
                element.GetProperty("finalLogScale").GetDouble());
            cases[golden.Name] = golden;
        }

        return cases;
    }

    private static float[] Floats(JsonElement values)
        => values.EnumerateArray().Select(value => (float)value.GetDouble()).ToArray();

    private static Dictionary<string, float[]> Tensors(JsonElement element)
        => element.EnumerateObject().ToDictionary(property => property.Name, property => Floats(property.Value));
}

/// <summary>One golden training run from PyTorch: inputs, initial weights, step 1's gradients and the weights after all steps.</summary>
internal sealed record TrainingCase(
    string Name,
    int InputDimension,
    int HiddenDimension,
    int OutputDimension,
    int Batch,
    string Activation,
    bool BatchNorm,
    double MseWeight,
    bool LearnableTemperature,
    double ClipNorm,
    double Temperature,
    double LearningRate,
    double WeightDecay,
    int Steps,
    int WarmupSteps,
    int TotalSteps,
    double MinLearningRateRatio,
    float[] Source,
    float[] Target,
    Dictionary<string, float[]> Initial,
    Dictionary<string, float[]> Gradients,
    double GradientNorm,
    double[] Losses,
    double[] LearningRates,
    Dictionary<string, float[]> Final,
    double FinalLogScale)
{
    public FreeBind.Training.TrainingOptions Options() => new()
    {
        Temperature = Temperature,
        LearnableTemperature = LearnableTemperature,
        MseWeight = MseWeight,
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        ClipNorm = ClipNorm,
        Schedule = new FreeBind.Training.LearningRateSchedule(
            FreeBind.Training.LearningRateScheduleKind.Cosine, WarmupSteps, TotalSteps, MinLearningRateRatio),
    };
}
