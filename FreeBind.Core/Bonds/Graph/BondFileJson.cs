namespace FreeBind.Bonds.Graph;

/// <summary>Bond file as written, before validation; names stay strings so errors can quote them.</summary>
internal sealed class BondFileJson
{
    public string? Name { get; set; }

    public string? Base { get; set; }

    public Dictionary<string, BondSpaceJson>? Spaces { get; set; }

    public List<BondJson>? Bonds { get; set; }

    public Dictionary<string, Dictionary<string, Dictionary<string, float>>>? Profiles { get; set; }
}

/// <summary>One entry under "spaces", as written.</summary>
internal sealed class BondSpaceJson
{
    public int Dimension { get; set; }

    public List<string>? Modalities { get; set; }
}

/// <summary>One entry under "bonds", as written.</summary>
internal sealed class BondJson
{
    public string? Name { get; set; }

    public string? Kind { get; set; }

    public List<string>? Experts { get; set; }

    public Dictionary<string, string>? Projectors { get; set; }

    public Dictionary<string, float>? Factors { get; set; }
}
