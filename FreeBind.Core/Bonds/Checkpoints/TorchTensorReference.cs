namespace FreeBind.Bonds.Checkpoints;

/// <summary>A tensor rebuilt by torch._utils._rebuild_tensor_v2: a view into a storage.</summary>
/// <param name="Storage">Storage the view reads.</param>
/// <param name="Offset">Offset of the first element, in elements.</param>
/// <param name="Size">Dimensions.</param>
/// <param name="Stride">Step in elements per dimension.</param>
internal sealed record TorchTensorReference(
    TorchStorageReference Storage,
    long Offset,
    long[] Size,
    long[] Stride);
