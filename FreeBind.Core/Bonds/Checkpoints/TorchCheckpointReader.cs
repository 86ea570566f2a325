using System.IO.Compression;
using System.Text;

namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// Reads the tensors of a PyTorch checkpoint written by <c>torch.save</c> in the zip format
/// (the default since PyTorch 1.6), without PyTorch and without running any pickled code.
/// </summary>
/// <remarks>
/// The archive contains <c>&lt;name&gt;/data.pkl</c>, a pickle whose tensors point through
/// persistent ids to storage entries <c>&lt;name&gt;/data/&lt;key&gt;</c>. The top-level object
/// may be the state_dict itself or a dict wrapping it (<c>{"state_dict": …, "epoch": 3}</c>,
/// <c>{"model": …}</c>); the reader returns the dictionary of tensors it finds. Tensors in
/// float16, bfloat16, float64 and integer types are converted to float32.
/// </remarks>
public static class TorchCheckpointReader
{
    private static readonly string[] WrapperKeys =
        ["state_dict", "model_state_dict", "model", "module", "net", "network", "params"];

    /// <summary>Reads the tensor dictionary of the checkpoint file at <paramref name="path"/>.</summary>
    /// <returns>Tensors by key, in the order the checkpoint stores them.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not a zip-format PyTorch checkpoint, is damaged, refers to a class the reader
    /// does not load, or stores a tensor type it cannot convert.
    /// </exception>
    public static IReadOnlyDictionary<string, CheckpointTensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads the tensor dictionary of a checkpoint from a stream, which stays open.</summary>
    /// <param name="stream">Checkpoint bytes; a stream that cannot seek is copied into memory first.</param>
    /// <param name="source">Name of the checkpoint for messages, such as its path.</param>
    /// <inheritdoc cref="Read(string)"/>
    public static IReadOnlyDictionary<string, CheckpointTensor> Read(Stream stream, string source = "checkpoint")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        Stream seekable = stream;
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            seekable = copy;
        }

        CheckSignature(seekable, source);
        using ZipArchive archive = OpenArchive(seekable, source);
        return ReadArchive(archive, source);
    }

    private static void CheckSignature(Stream stream, string source)
    {
        long start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        int count = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = start;

        if (count >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
        {
            return;
        }

        if (count >= 1 && head[0] == 0x80)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' uses the legacy (non-zip) torch.save format, which is not supported; "
                + "re-save it with torch.save(obj, path, _use_new_zipfile_serialization=True)");
        }

        throw new InvalidDataException(
            $"checkpoint '{source}' is not a PyTorch zip checkpoint (it does not start with a zip header); "
            + "save it with torch.save in PyTorch 1.6 or later, or convert it to safetensors");
    }

    private static ZipArchive OpenArchive(Stream stream, string source)
    {
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' is not a readable zip archive, so it is probably truncated or damaged "
                + $"({exception.Message}); copy or download it again",
                exception);
        }
    }

    private static IReadOnlyDictionary<string, CheckpointTensor> ReadArchive(ZipArchive archive, string source)
    {
        List<ZipArchiveEntry> pickles = archive.Entries
            .Where(entry => entry.FullName == "data.pkl" || entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            .ToList();
        if (pickles.Count != 1)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' contains {pickles.Count} data.pkl entries, expected one; "
                + "it is not a torch.save archive");
        }

        string prefix = pickles[0].FullName[..^"data.pkl".Length];
        CheckByteOrder(archive, prefix, source);

        var storages = new Dictionary<string, TorchStorageReference>(StringComparer.Ordinal);
        object? root = PickleMachine.Run(
            ReadEntry(pickles[0], source),
            $"checkpoint '{source}', {pickles[0].FullName}",
            id => LoadPersistent(id, storages, source));

        OrderedDictionary<object, object?> tensors = FindTensorDictionary(root, source);
        var storageValues = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var result = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach ((object key, object? value) in tensors)
        {
            if (value is TorchTensorReference tensor && key is string name)
            {
                result[name] = Materialize(name, tensor, archive, prefix, storageValues, source);
            }
        }

        return result;
    }

    // Newer PyTorch versions write a byteorder entry. Archives without one are little-endian.
    private static void CheckByteOrder(ZipArchive archive, string prefix, string source)
    {
        ZipArchiveEntry? entry = archive.GetEntry(prefix + "byteorder");
        if (entry is null)
        {
            return;
        }

        string order = Encoding.ASCII.GetString(ReadEntry(entry, source)).Trim();
        if (order != "little")
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' stores tensors in '{order}' byte order; only little-endian checkpoints "
                + "are supported, so re-save it on a little-endian machine");
        }
    }

    // Persistent id: ('storage', storage_type, key, location, numel).
    private static TorchStorageReference LoadPersistent(
        object?[] id,
        Dictionary<string, TorchStorageReference> storages,
        string source)
    {
        if (id.Length != 5
            || id[0] is not "storage"
            || id[1] is not PickleGlobal storageType
            || id[2] is not string key
            || id[4] is not long elementCount)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' has a persistent id with {id.Length} fields that is not "
                + "('storage', storage_type, key, location, numel); it was not written by torch.save");
        }

        if (storages.TryGetValue(key, out TorchStorageReference? known))
        {
            return known;
        }

        var storage = new TorchStorageReference(
            storageType,
            TensorDataType.FromTorchStorage(storageType.Name),
            key,
            elementCount);
        storages[key] = storage;
        return storage;
    }

    private static OrderedDictionary<object, object?> FindTensorDictionary(object? root, string source)
    {
        if (root is not OrderedDictionary<object, object?> top)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}' contains a {root?.GetType().Name ?? "None"}, not a dict of tensors; "
                + "save model.state_dict() rather than the model or a single tensor");
        }

        if (ContainsTensors(top))
        {
            return top;
        }

        foreach (string wrapperKey in WrapperKeys)
        {
            if (top.TryGetValue(wrapperKey, out object? inner)
                && inner is OrderedDictionary<object, object?> candidate
                && ContainsTensors(candidate))
            {
                return candidate;
            }
        }

        List<string> nested = top
            .Where(pair => pair.Value is OrderedDictionary<object, object?> inner && ContainsTensors(inner))
            .Select(pair => pair.Key.ToString() ?? "")
            .ToList();
        if (nested.Count == 1)
        {
            return (OrderedDictionary<object, object?>)top[nested[0]]!;
        }

        string keys = string.Join(", ", top.Keys.Select(key => $"'{key}'"));
        throw new InvalidDataException(nested.Count == 0
            ? $"checkpoint '{source}' contains no tensors at the top level or one level down (keys: {keys}); "
              + "save the state_dict, or a dict with it under 'state_dict'"
            : $"checkpoint '{source}' contains several tensor dictionaries ({string.Join(", ", nested)}); "
              + "save the projector's state_dict alone, or under 'state_dict'");
    }

    private static bool ContainsTensors(OrderedDictionary<object, object?> dictionary)
        => dictionary.Values.Any(value => value is TorchTensorReference);

    private static CheckpointTensor Materialize(
        string name,
        TorchTensorReference tensor,
        ZipArchive archive,
        string prefix,
        Dictionary<string, float[]> storageValues,
        string source)
    {
        TorchStorageReference storage = tensor.Storage;
        TensorDataType dataType = storage.DataType ?? throw new InvalidDataException(
            $"checkpoint '{source}': tensor '{name}' uses {storage.StorageType.FullName}, which is not supported "
            + $"(supported: {TensorDataType.SupportedNames}); convert it to float32 before saving");

        if (!storageValues.TryGetValue(storage.Key, out float[]? values))
        {
            values = ReadStorage(storage, dataType, archive, prefix, source, name);
            storageValues[storage.Key] = values;
        }

        return new CheckpointTensor(name, tensor.Size, Gather(name, tensor, values, source), dataType.Name);
    }

    private static float[] ReadStorage(
        TorchStorageReference storage,
        TensorDataType dataType,
        ZipArchive archive,
        string prefix,
        string source,
        string tensorName)
    {
        string entryName = prefix + "data/" + storage.Key;
        ZipArchiveEntry entry = archive.GetEntry(entryName) ?? throw new InvalidDataException(
            $"checkpoint '{source}': storage entry '{entryName}' of tensor '{tensorName}' is missing; the file is damaged");

        byte[] bytes = ReadEntry(entry, source);
        long expectedBytes = storage.ElementCount * dataType.ElementSize;
        if (bytes.Length < expectedBytes)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}': storage '{entryName}' of tensor '{tensorName}' has {bytes.Length} bytes, "
                + $"expected {expectedBytes} ({storage.ElementCount} × {dataType.Name}); the file is damaged");
        }

        return dataType.ToFloats(bytes.AsSpan(0, (int)expectedBytes));
    }

    // Copies a strided view out of its storage into a contiguous row-major array.
    private static float[] Gather(string name, TorchTensorReference tensor, float[] storage, string source)
    {
        long count = CheckpointTensor.ElementCount(tensor.Size);
        if (count == 0)
        {
            return [];
        }

        long last = tensor.Offset;
        for (int d = 0; d < tensor.Size.Length; d++)
        {
            if (tensor.Stride[d] < 0)
            {
                throw new InvalidDataException(
                    $"checkpoint '{source}': tensor '{name}' has a negative stride {tensor.Stride[d]}, "
                    + "which torch.save never writes; the file is damaged");
            }

            last += (tensor.Size[d] - 1) * tensor.Stride[d];
        }

        if (tensor.Offset < 0 || last >= storage.Length)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}': tensor '{name}' (offset {tensor.Offset}, size {CheckpointTensor.FormatShape(tensor.Size)}, "
                + $"stride {CheckpointTensor.FormatShape(tensor.Stride)}) reads past its storage of {storage.Length} elements");
        }

        var values = new float[count];
        var index = new long[tensor.Size.Length];
        long storageIndex = tensor.Offset;
        for (long i = 0; i < count; i++)
        {
            values[i] = storage[storageIndex];

            // Advance the multi-index like an odometer, innermost dimension first.
            for (int d = tensor.Size.Length - 1; d >= 0; d--)
            {
                index[d]++;
                storageIndex += tensor.Stride[d];
                if (index[d] < tensor.Size[d])
                {
                    break;
                }

                storageIndex -= index[d] * tensor.Stride[d];
                index[d] = 0;
            }
        }

        return values;
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string source)
    {
        try
        {
            using Stream stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            throw new InvalidDataException(
                $"checkpoint '{source}': entry '{entry.FullName}' cannot be read, so the file is probably truncated "
                + $"or damaged ({exception.Message}); copy or download it again",
                exception);
        }
    }
}
