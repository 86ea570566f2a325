namespace FreeBind.Bonds.Checkpoints;

/// <summary>Contents of a native projector's JSON file.</summary>
internal sealed record ProjectorManifest(
    int FormatVersion,
    int InputDimension,
    int HiddenDimension,
    int OutputDimension,
    string Activation,
    bool BatchNorm,
    float Epsilon);
