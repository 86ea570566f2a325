using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

using FreeBind.Media;

namespace FreeBind.Text;

/// <summary>
/// Strict decoder of one text item: UTF-8, or UTF-16 and UTF-32 when the bytes start with
/// their byte order mark.
/// </summary>
internal static class TextFileDecoder
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> Utf32LittleEndianBom => [0xFF, 0xFE, 0x00, 0x00];

    private static ReadOnlySpan<byte> Utf32BigEndianBom => [0x00, 0x00, 0xFE, 0xFF];

    private static ReadOnlySpan<byte> Utf16LittleEndianBom => [0xFF, 0xFE];

    private static ReadOnlySpan<byte> Utf16BigEndianBom => [0xFE, 0xFF];

    /// <summary>
    /// Decodes <paramref name="data"/>, dropping a leading byte order mark. Bytes without a
    /// UTF-16 or UTF-32 byte order mark are decoded as UTF-8.
    /// </summary>
    /// <remarks>
    /// The UTF-32 little-endian mark is checked before the UTF-16 one that it starts with, so a
    /// UTF-16LE file whose first character is U+0000 is read as UTF-32LE, as .NET's
    /// <see cref="StreamReader"/> does.
    /// </remarks>
    /// <exception cref="MediaException">Stage decode: the bytes are not valid in their encoding.</exception>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(Utf32LittleEndianBom))
        {
            return DecodeUtf32(data, Utf32LittleEndianBom.Length, bigEndian: false);
        }

        if (data.StartsWith(Utf32BigEndianBom))
        {
            return DecodeUtf32(data, Utf32BigEndianBom.Length, bigEndian: true);
        }

        if (data.StartsWith(Utf16LittleEndianBom))
        {
            return DecodeUtf16(data, Utf16LittleEndianBom.Length, bigEndian: false);
        }

        if (data.StartsWith(Utf16BigEndianBom))
        {
            return DecodeUtf16(data, Utf16BigEndianBom.Length, bigEndian: true);
        }

        return DecodeUtf8(data);
    }

    private static string DecodeUtf16(ReadOnlySpan<byte> data, int bomLength, bool bigEndian)
    {
        string name = bigEndian ? "UTF-16BE" : "UTF-16LE";
        ReadOnlySpan<byte> body = data[bomLength..];
        if (body.Length % 2 != 0)
        {
            throw InvalidWithBom(name, bomLength + body.Length - 1, "an odd number of bytes");
        }

        var chars = new char[body.Length / 2];
        for (int i = 0; i < chars.Length; i++)
        {
            ReadOnlySpan<byte> unit = body.Slice(2 * i, 2);
            chars[i] = (char)(bigEndian
                ? BinaryPrimitives.ReadUInt16BigEndian(unit)
                : BinaryPrimitives.ReadUInt16LittleEndian(unit));
        }

        // An unpaired surrogate is the only invalid UTF-16 sequence.
        for (int i = 0; i < chars.Length;)
        {
            if (Rune.DecodeFromUtf16(chars.AsSpan(i), out _, out int consumed) != OperationStatus.Done)
            {
                throw InvalidWithBom(name, bomLength + (2 * i), "an unpaired surrogate");
            }

            i += consumed;
        }

        return new string(chars);
    }

    private static string DecodeUtf32(ReadOnlySpan<byte> data, int bomLength, bool bigEndian)
    {
        string name = bigEndian ? "UTF-32BE" : "UTF-32LE";
        ReadOnlySpan<byte> body = data[bomLength..];
        if (body.Length % 4 != 0)
        {
            throw InvalidWithBom(name, bomLength + body.Length - (body.Length % 4), "a length that is not a multiple of 4");
        }

        var text = new StringBuilder(body.Length / 4);
        for (int offset = 0; offset < body.Length; offset += 4)
        {
            ReadOnlySpan<byte> unit = body.Slice(offset, 4);
            uint value = bigEndian
                ? BinaryPrimitives.ReadUInt32BigEndian(unit)
                : BinaryPrimitives.ReadUInt32LittleEndian(unit);
            if (!Rune.IsValid(value))
            {
                throw InvalidWithBom(name, bomLength + offset, $"the value 0x{value:X8}, which is not a Unicode scalar value");
            }

            text.Append(new Rune(value));
        }

        return text.ToString();
    }

    private static MediaException InvalidWithBom(string name, int position, string reason) => new(
        "decode",
        $"text starts with a {name} byte order mark but is not valid {name} at byte {position} " +
        $"({reason}): re-encode the file as UTF-8");

    private static string DecodeUtf8(ReadOnlySpan<byte> data)
    {
        var bomLength = data.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
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
