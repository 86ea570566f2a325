using System.Buffers;
using System.Text.Unicode;

using FreeBind.Media;

namespace FreeBind.Text;

/// <summary>Strict UTF-8 decoding of one text item.</summary>
internal static class Utf8TextDecoder
{
    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Decodes <paramref name="data"/> as UTF-8, dropping a leading byte order mark.
    /// </summary>
    /// <exception cref="MediaException">Stage decode: the bytes are not valid UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        var bomLength = data.StartsWith(Bom) ? Bom.Length : 0;
        var body = data[bomLength..];
        if (body.IsEmpty)
        {
            return string.Empty;
        }

        // UTF-8 never yields more UTF-16 code units than it has bytes.
        var buffer = body.Length <= 1024 ? null : ArrayPool<char>.Shared.Rent(body.Length);
        Span<char> chars = buffer ?? stackalloc char[body.Length];
        try
        {
            var status = Utf8.ToUtf16(body, chars, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new MediaException(
                    "decode",
                    $"text is not valid UTF-8 at byte {bomLength + bytesRead}: re-encode the file as UTF-8");
            }

            return new string(chars[..charsWritten]);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<char>.Shared.Return(buffer);
            }
        }
    }
}
