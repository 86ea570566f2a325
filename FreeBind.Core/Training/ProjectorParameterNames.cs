using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>
/// Names of a projector's trained parameters, as in its PyTorch <c>nn.Sequential</c> state_dict
/// (<c>0.weight</c>, <c>1.bias</c>, …), plus <see cref="LogScale"/> for a learnable temperature.
/// </summary>
public static class ProjectorParameterNames
{
    /// <summary>Name of the learnable log of the logit scale.</summary>
    public const string LogScale = "log_scale";

    /// <summary>Returns whether AdamW applies weight decay to the parameter: only the two Linear weights.</summary>
    public static bool Decays(ProjectorArchitecture architecture, string name)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return name == "0.weight" || name == (architecture.BatchNorm ? "3.weight" : "2.weight");
    }

    /// <summary>Pairs parameter arrays in <see cref="ProjectorWeights"/> order with their names, skipping absent BatchNorm arrays.</summary>
    internal static IEnumerable<(string Name, float[] Values)> Pair(
        ProjectorArchitecture architecture,
        float[] weight1,
        float[] bias1,
        float[]? norm1Scale,
        float[]? norm1Shift,
        float[] weight2,
        float[] bias2,
        float[]? norm2Scale,
        float[]? norm2Shift)
    {
        yield return ("0.weight", weight1);
        yield return ("0.bias", bias1);
        if (architecture.BatchNorm)
        {
            yield return ("1.weight", norm1Scale!);
            yield return ("1.bias", norm1Shift!);
            yield return ("3.weight", weight2);
            yield return ("3.bias", bias2);
            yield return ("4.weight", norm2Scale!);
            yield return ("4.bias", norm2Shift!);
        }
        else
        {
            yield return ("2.weight", weight2);
            yield return ("2.bias", bias2);
        }
    }
}
