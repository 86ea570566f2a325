using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace FreeBind.Corpus;

/// <summary>One line of a text manifest.</summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Text">The line without its terminator. Invalid UTF-8 bytes are replaced with
/// U+FFFD here, so check <paramref name="InvalidByte"/> before using it.</param>
/// <param name="Terminator">The line break that ended the line (<c>\n</c>, <c>\r\n</c> or
/// <c>\r</c>), or empty for a last line without one.</param>
/// <param name="InvalidByte">0-based file offset of the first byte that is not valid UTF-8, or
/// null when the line is valid.</param>
internal sealed record ManifestLine(long Number, string Text, string Terminator, long? InvalidByte);

/// <summary>
/// Splits a JSONL or CSV manifest into lines and decodes each line as UTF-8 on its own, so one
/// line in another encoding becomes one invalid line rather than silently replaced characters.
/// </summary>
/// <remarks>
/// A UTF-8 byte order mark is skipped. A file that starts with a UTF-16 byte order mark is
/// decoded as UTF-16 instead (or UTF-32 little-endian when the stream can seek and the mark is
/// that one), and its lines are never invalid. LF, CRLF and CR end a line, as
/// <see cref="TextReader.ReadLine"/> has it.
/// </remarks>
internal sealed class ManifestLineReader(Stream stream)
{
    private readonly byte[] buffer = new byte[1 << 16];
    private readonly ArrayBufferWriter<byte> line = new(256);
    private int length;
    private int position;
    private long bufferOffset;
    private long number;
    private bool started;
    private StreamReader? utf16Reader;

    /// <summary>Returns the error for a manifest line that is not valid UTF-8.</summary>
    /// <param name="number">1-based line number.</param>
    /// <param name="invalidByte">0-based file offset of the first invalid byte.</param>
    public static string InvalidUtf8Message(long number, long invalidByte) =>
        $"line {number} is not valid UTF-8 at byte {invalidByte} of the file: save the manifest as UTF-8";

    /// <summary>Reads the next line, or returns null at the end of the stream.</summary>
    public async ValueTask<ManifestLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (!started)
        {
            started = true;
            await StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (utf16Reader is not null)
        {
            var text = await utf16Reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            return text is null ? null : new ManifestLine(++number, text, "\n", null);
        }

        line.Clear();
        var lineStart = bufferOffset + position;
        var terminator = string.Empty;
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!CopyUntilLineBreak())
            {
                continue;
            }

            if (buffer[position++] == '\n')
            {
                terminator = "\n";
                break;
            }

            terminator = "\r";
            if (await FillAsync(cancellationToken).ConfigureAwait(false) && buffer[position] == '\n')
            {
                position++;
                terminator = "\r\n";
            }

            break;
        }

        if (line.WrittenCount == 0 && terminator.Length == 0)
        {
            return null;
        }

        number++;
        var bytes = line.WrittenSpan;
        var skipped = 0;
        if (number == 1 && bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            skipped = Encoding.UTF8.Preamble.Length;
            bytes = bytes[skipped..];
        }

        var invalidAt = FindInvalidUtf8(bytes);
        var invalidByte = invalidAt < 0 ? (long?)null : lineStart + skipped + invalidAt;
        return new ManifestLine(number, Encoding.UTF8.GetString(bytes), terminator, invalidByte);
    }

    /// <summary>Copies buffered bytes into the line up to the next CR or LF, and returns whether
    /// one was found.</summary>
    private bool CopyUntilLineBreak()
    {
        var rest = buffer.AsSpan(position, length - position);
        var stop = rest.IndexOfAny((byte)'\n', (byte)'\r');
        line.Write(stop < 0 ? rest : rest[..stop]);
        position = stop < 0 ? length : position + stop;
        return stop >= 0;
    }

    /// <summary>Returns the index of the first byte that is not valid UTF-8, or -1.</summary>
    private static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return -1;
        }

        var chars = new char[bytes.Length];
        Utf8.ToUtf16(bytes, chars, out var bytesRead, out _, replaceInvalidSequences: false);
        return bytesRead;
    }

    /// <summary>Reads the first two bytes and switches to UTF-16 decoding when they are a UTF-16
    /// byte order mark.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        length = await stream.ReadAtLeastAsync(buffer.AsMemory(0, 2), 2, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (length < 2)
        {
            return;
        }

        Encoding? utf16 = (buffer[0], buffer[1]) switch
        {
            (0xFF, 0xFE) => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            (0xFE, 0xFF) => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            _ => null,
        };
        if (utf16 is null)
        {
            return;
        }

        // FF FE also starts a UTF-32 little-endian mark, which StreamReader distinguishes when it can
        // read the mark again from the start.
        if (stream.CanSeek)
        {
            stream.Position = 0;
            utf16Reader = new StreamReader(stream, utf16, detectEncodingFromByteOrderMarks: true, 1 << 16);
            return;
        }

        utf16Reader = new StreamReader(stream, utf16, detectEncodingFromByteOrderMarks: false, 1 << 16);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (position < length)
        {
            return true;
        }

        bufferOffset += length;
        length = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        position = 0;
        return length > 0;
    }
}
