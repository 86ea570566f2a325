using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FreeBind.Encoders;

/// <summary>Reads a manifest resource embedded in a .NET assembly without loading the assembly.</summary>
public static class ManagedResourceReader
{
    /// <summary>Returns the bytes of the embedded resource <paramref name="resourceName"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a .NET assembly or has no such resource.</exception>
    public static byte[] ReadResource(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var peReader = new PEReader(stream);
        if (!peReader.HasMetadata || peReader.PEHeaders.CorHeader is null)
        {
            throw new InvalidDataException($"'{assemblyPath}' is not a .NET assembly.");
        }

        var metadata = peReader.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName)
            {
                continue;
            }

            // Embedded resources sit in the CLI resources directory: a 4-byte little-endian
            // length followed by the bytes, at the offset the manifest entry records.
            var directory = peReader.PEHeaders.CorHeader.ResourcesDirectory;
            var section = peReader.GetSectionData(directory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new InvalidDataException($"'{assemblyPath}' has no embedded resource '{resourceName}'.");
    }
}
