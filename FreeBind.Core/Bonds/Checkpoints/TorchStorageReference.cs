namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// A storage named by a persistent id <c>('storage', storage_type, key, location, numel)</c>;
/// its bytes are the archive entry <c>data/&lt;key&gt;</c>.
/// </summary>
/// <param name="StorageType">Storage class, such as torch.FloatStorage.</param>
/// <param name="DataType">Element type, or null when the storage class is not supported.</param>
/// <param name="Key">Entry name under the archive's data folder.</param>
/// <param name="ElementCount">Number of elements in the storage.</param>
internal sealed record TorchStorageReference(
    PickleGlobal StorageType,
    TensorDataType? DataType,
    string Key,
    long ElementCount);
