using System.Text.Json;

using FreeBind.Storage;

namespace FreeBind.Pipeline;

/// <summary>Writes and reads shard completion markers (<see cref="ShardOutcome"/> as JSON).</summary>
/// <remarks>
/// Markers are written with camelCase keys, like the job manifest. Reading ignores the case of
/// keys, so markers written with PascalCase keys by earlier versions still let a job resume.
/// </remarks>
public static class ShardMarkerJson
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        PropertyNameCaseInsensitive = true,
    };

    /// <summary>Writes <paramref name="outcome"/> to <paramref name="path"/> atomically.</summary>
    public static Task WriteAsync(IBlobStore output, string path, ShardOutcome outcome, CancellationToken cancellationToken) =>
        output.WriteAsync(
            path,
            (stream, token) => JsonSerializer.SerializeAsync(stream, outcome, WriteOptions, token),
            cancellationToken);

    /// <summary>Reads the marker at <paramref name="path"/>, or returns null when there is none or it is not a marker.</summary>
    public static async Task<ShardOutcome?> TryReadAsync(IBlobStore output, string path, CancellationToken cancellationToken)
    {
        if (!await output.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await using var stream = await output.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync<ShardOutcome>(stream, ReadOptions, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // A marker is written atomically, so an unreadable one was made by something else:
            // treat the shard as not done and write it again.
            return null;
        }
    }
}
