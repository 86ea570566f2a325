using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace FreeBind.Corpus;

/// <summary>A member of a tar other than a folder: its name, type and where its data lies.</summary>
/// <param name="Name">Path inside the tar, without a leading "./".</param>
/// <param name="HeaderOffset">Offset of the member's own header.</param>
/// <param name="DataOffset">Offset of the member's data.</param>
/// <param name="Length">Data length in bytes, 0 for links.</param>
/// <param name="Type">The header's typeflag: '0', '\0' or '7' for a regular file, '1' for a hard
/// link, '2' for a symbolic link, others for devices, named pipes and vendor types.</param>
/// <param name="LinkName">Target of a hard or symbolic link as stored in the tar, or null.</param>
internal sealed record TarMember(
    string Name, long HeaderOffset, long DataOffset, long Length, char Type = '0', string? LinkName = null)
{
    /// <summary>Whether the member is a regular file whose data follows its header.</summary>
    public bool IsFile => Type is '0' or '\0' or '7';
}

/// <summary>A scan result: a member, or the damage that ended the scan.</summary>
internal readonly record struct TarScanItem(TarMember? Member, long DamageOffset, string? Damage);

/// <summary>
/// Lists the members of a tar by reading only its 512-byte headers and seeking over the data.
/// Reads POSIX ustar (with the 155-byte name prefix), GNU long names and long link names
/// (<c>././@LongLink</c>, types 'L' and 'K') and pax extended headers (type 'x', keys
/// <c>path</c>, <c>linkpath</c> and <c>size</c>).
/// </summary>
internal static class TarScanner
{
    private const int BlockSize = 512;

    /// <summary>Largest GNU long name or pax header accepted, to stop a damaged size from
    /// allocating gigabytes.</summary>
    private const int MaxMetadataSize = 1 << 20;

    /// <summary>
    /// Yields the members in tar order, except folders. A cut-short or corrupt header, or data that runs past
    /// the end of the file, ends the scan with one damage item naming the offset. A tar that ends
    /// at a header boundary without the two zero end blocks is accepted, because its members are whole.
    /// </summary>
    public static async IAsyncEnumerable<TarScanItem> ScanAsync(
        IRangeReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var header = new byte[BlockSize];
        long offset = 0;
        string? longName = null;
        string? longLinkName = null;
        Dictionary<string, string>? pax = null;

        while (true)
        {
            var read = await reader.ReadAtAsync(offset, header, cancellationToken).ConfigureAwait(false);
            if (read == 0 && longName is null && longLinkName is null && pax is null)
            {
                yield break;
            }

            if (read < BlockSize)
            {
                var compressed = offset == 0 ? CompressionOf(header.AsSpan(0, read)) : null;
                yield return Damaged(offset, compressed is null
                    ? $"the header at offset {offset} is cut short ({read} of {BlockSize} bytes)"
                    : NotATar(compressed));
                yield break;
            }

            if (header.All(value => value == 0))
            {
                yield break;
            }

            if (!ChecksumMatches(header))
            {
                var compression = offset == 0 ? CompressionOf(header) : null;
                yield return Damaged(offset, compression is null
                    ? $"the header at offset {offset} has a wrong checksum"
                    : NotATar(compression));
                yield break;
            }

            if (!TryParseNumber(header.AsSpan(124, 12), out var size) || size < 0)
            {
                yield return Damaged(offset, $"the header at offset {offset} has an unreadable size field");
                yield break;
            }

            var type = (char)header[156];
            if (pax is not null && pax.TryGetValue("size", out var paxSize))
            {
                if (!long.TryParse(paxSize, NumberStyles.None, CultureInfo.InvariantCulture, out size))
                {
                    yield return Damaged(offset, $"the pax size '{paxSize}' before offset {offset} is not a number");
                    yield break;
                }
            }

            var dataOffset = offset + BlockSize;
            if (size > 0 && !await EndExistsAsync(reader, dataOffset + size, cancellationToken).ConfigureAwait(false))
            {
                yield return Damaged(offset, $"the member at offset {offset} declares {size} bytes but the tar ends before them");
                yield break;
            }

            if (type is 'L' or 'K' or 'x' or 'g')
            {
                if (size > MaxMetadataSize)
                {
                    yield return Damaged(offset, $"the '{type}' header at offset {offset} declares {size} bytes, more than {MaxMetadataSize}");
                    yield break;
                }

                var data = new byte[size];
                await reader.ReadAtAsync(dataOffset, data, cancellationToken).ConfigureAwait(false);
                if (type == 'L')
                {
                    longName = ReadString(data);
                }
                else if (type == 'K')
                {
                    longLinkName = ReadString(data);
                }
                else if (type == 'x')
                {
                    pax = ParsePax(data);
                }

                // Global pax headers ('g') carry defaults such as a comment; none of them names a member.
            }
            else
            {
                // Folders ('5' and GNU dumpdir 'D') hold no data. TarCorpus decides what to do with
                // every other type.
                if (type is not ('5' or 'D'))
                {
                    var name = pax?.GetValueOrDefault("path") ?? longName ?? UstarName(header);
                    var linkName = type is '1' or '2'
                        ? pax?.GetValueOrDefault("linkpath") ?? longLinkName ?? ReadString(header.AsSpan(157, 100))
                        : null;
                    var member = new TarMember(StripDotSlash(name), offset, dataOffset, size, type, linkName);
                    yield return new TarScanItem(member, 0, null);
                }

                longName = null;
                longLinkName = null;
                pax = null;
            }

            offset = dataOffset + ((size + BlockSize - 1) / BlockSize * BlockSize);
        }
    }

    private static TarScanItem Damaged(long offset, string message) => new(null, offset, message);

    private static string NotATar(string compression) =>
        $"it is a {compression}-compressed file, not a tar; decompress it and pass the .tar files";

    /// <summary>Names the compression of a file whose first bytes are gzip, bzip2, xz or zstd magic, or returns null.</summary>
    private static string? CompressionOf(ReadOnlySpan<byte> start) =>
        start switch
        {
            [0x1F, 0x8B, ..] => "gzip",
            [(byte)'B', (byte)'Z', (byte)'h', ..] => "bzip2",
            [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => "xz",
            [0x28, 0xB5, 0x2F, 0xFD, ..] => "zstd",
            _ => null,
        };

    private static async ValueTask<bool> EndExistsAsync(IRangeReader reader, long end, CancellationToken cancellationToken)
    {
        var last = new byte[1];
        return await reader.ReadAtAsync(end - 1, last, cancellationToken).ConfigureAwait(false) == 1;
    }

    private static bool ChecksumMatches(byte[] header)
    {
        if (!TryParseNumber(header.AsSpan(148, 8), out var stored))
        {
            return false;
        }

        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var value = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += value;
            signed += (sbyte)value;
        }

        // Some old writers summed signed bytes; both sums are accepted, as GNU tar does.
        return stored == unsigned || stored == signed;
    }

    /// <summary>Parses an octal field (NUL or space terminated) or a GNU base-256 field (high bit
    /// set).</summary>
    private static bool TryParseNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if ((field[0] & 0x80) != 0)
        {
            if ((field[0] & 0x40) != 0)
            {
                return false;
            }

            value = field[0] & 0x3F;
            foreach (var part in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return false;
                }

                value = (value << 8) | part;
            }

            return true;
        }

        var text = Encoding.ASCII.GetString(field).Trim('\0', ' ');
        if (text.Length == 0)
        {
            return true;
        }

        try
        {
            value = Convert.ToInt64(text, 8);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string UstarName(byte[] header)
    {
        var name = ReadString(header.AsSpan(0, 100));
        var isUstar = header.AsSpan(257, 5).SequenceEqual("ustar"u8) && header[262] == 0;
        var prefix = isUstar ? ReadString(header.AsSpan(345, 155)) : string.Empty;
        return prefix.Length == 0 ? name : prefix + "/" + name;
    }

    private static string ReadString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    /// <summary>Parses pax records of the form "LENGTH KEY=VALUE\n", where LENGTH counts the whole
    /// record.</summary>
    private static Dictionary<string, string> ParsePax(byte[] data)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        while (position < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', position);
            if (space < 0
                || !int.TryParse(data.AsSpan(position, space - position), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space - position
                || position + length > data.Length)
            {
                break;
            }

            var record = Encoding.UTF8.GetString(data, space + 1, position + length - space - 2);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                records[record[..equals]] = record[(equals + 1)..];
            }

            position += length;
        }

        return records;
    }

    /// <summary>Removes leading "./" segments, which GNU tar writes when given "." as input.</summary>
    internal static string StripDotSlash(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name;
    }
}
