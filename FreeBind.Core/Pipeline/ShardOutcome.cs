namespace FreeBind.Pipeline;

/// <summary>What embedding one shard produced; also stored as the shard's completion marker.</summary>
public sealed class ShardOutcome
{
    /// <summary>Shard number.</summary>
    public int Shard { get; set; }

    /// <summary>Job fingerprint the outputs were made with.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>Corpus entries in the shard.</summary>
    public int Entries { get; set; }

    /// <summary>Embeddings written, by "space/modality".</summary>
    public Dictionary<string, int> Embedded { get; set; } = [];

    /// <summary>Error rows written, by stage.</summary>
    public Dictionary<string, int> Errors { get; set; } = [];

    /// <summary>Counted non-fatal events (e.g. text truncated), by message.</summary>
    public Dictionary<string, int> Warnings { get; set; } = [];

    /// <summary>True when the shard's outputs already existed and nothing was recomputed.</summary>
    public bool Skipped { get; set; }

    /// <summary>Seconds spent on the shard.</summary>
    public double Seconds { get; set; }

    /// <summary>Seconds spent inside ONNX Runtime.</summary>
    public double InferenceSeconds { get; set; }
}
