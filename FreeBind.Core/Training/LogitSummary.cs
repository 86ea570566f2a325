namespace FreeBind.Training;

/// <summary>
/// What a shard returns from the logit phase: partial column log-sum-exp terms over its rows and
/// its parts of the loss.
/// </summary>
/// <param name="ColumnMax">Per column j of the logits, the maximum over the shard's rows, [B].</param>
/// <param name="ColumnSumExp">Per column, Σ over the shard's rows of exp(logit − <paramref name="ColumnMax"/>), [B].</param>
/// <param name="RowLossSum">Σ over the shard's rows i of (logsumexp of row i − logit(i, i)).</param>
/// <param name="DiagonalSum">Σ over the shard's rows i of logit(i, i).</param>
/// <param name="SquaredErrorSum">Σ over the shard's rows of ‖z_i − t_i‖².</param>
public sealed record LogitSummary(
    float[] ColumnMax,
    double[] ColumnSumExp,
    double RowLossSum,
    double DiagonalSum,
    double SquaredErrorSum);
