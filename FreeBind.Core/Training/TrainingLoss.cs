namespace FreeBind.Training;

/// <summary>Loss of one step over the global batch, with its parts.</summary>
/// <param name="Total">Contrastive + MseWeight · SquaredError.</param>
/// <param name="Contrastive">Symmetric InfoNCE: the mean of the row and column cross-entropies.</param>
/// <param name="SquaredError">mean_i ‖z_i − t_i‖², before the weight.</param>
/// <param name="Scale">Logit scale used.</param>
public sealed record TrainingLoss(double Total, double Contrastive, double SquaredError, float Scale);
