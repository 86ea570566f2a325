namespace FreeBind.Bonds.Graph;

/// <summary>What a bond does to one modality.</summary>
internal enum BondStepRole
{
    /// <summary>A combination whose experts do not embed the modality: the running embedding passes through.</summary>
    Skip,

    /// <summary>The bond mixes a kept embedding with the projection, with a factor per modality.</summary>
    Mix,

    /// <summary>A displacement whose experts do not embed the modality: the projection replaces the embedding.</summary>
    Replace,
}
