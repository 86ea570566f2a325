namespace FreeBind.Encoders;

/// <summary>A model input that a preprocessing recipe produces, without the batch dimension.</summary>
/// <param name="Name">Model input name.</param>
/// <param name="IsInt64">True for int64 token ids and masks, false for float32.</param>
/// <param name="Shape">Per-item shape; -1 marks a length that varies per item or batch.</param>
public sealed record ModelInput(string Name, bool IsInt64, int[] Shape);
