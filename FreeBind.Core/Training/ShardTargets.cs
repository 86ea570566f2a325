namespace FreeBind.Training;

/// <summary>A shard's L2-normalised target rows, which the coordinator concatenates in shard order.</summary>
/// <param name="Rows">Number of rows.</param>
/// <param name="Targets">[Rows, output dimension], row-major. Owned by the shard and overwritten by its next step.</param>
public sealed record ShardTargets(int Rows, float[] Targets);
