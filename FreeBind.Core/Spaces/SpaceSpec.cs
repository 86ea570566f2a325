namespace FreeBind.Spaces;

/// <summary>One embedding space (e.g. imagebind, clip, clap-general) and its encoders.</summary>
public sealed class SpaceSpec
{
    /// <summary>Space name written to the <c>space</c> column; letters, digits, '-', '_' and '.'.</summary>
    public string Name { get; set; } = "";

    /// <summary>One encoder per modality the space covers.</summary>
    public List<EncoderSpec> Encoders { get; set; } = [];
}
