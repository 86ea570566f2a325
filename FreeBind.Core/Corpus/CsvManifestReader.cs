using System.Runtime.CompilerServices;
using System.Text;

namespace FreeBind.Corpus;

/// <summary>
/// Reads a CSV manifest as RFC 4180 describes it: a header row, comma separators, fields in double
/// quotes may contain separators, line breaks and doubled quotes (<c>""</c>). Semicolon and tab
/// separators are detected from the header line. A UTF-8 byte order mark is skipped, and LF, CRLF
/// and CR all end a record. A record with bytes that are not valid UTF-8 becomes an invalid row.
/// </summary>
internal static class CsvManifestReader
{
    /// <summary>Delimiters that <see cref="ReadAsync"/> detects, in order of preference on a tie.</summary>
    private static readonly char[] Delimiters = [',', '\t', ';'];

    /// <summary>Yields one row per record after the header; a malformed record becomes an invalid
    /// row.</summary>
    /// <param name="stream">The manifest.</param>
    /// <param name="delimiter">The field delimiter, or null to take the one of comma, tab and
    /// semicolon that the header line has most of.</param>
    /// <param name="columns">Columns to look for.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    public static async IAsyncEnumerable<ManifestRow> ReadAsync(
        Stream stream,
        char? delimiter,
        ManifestColumns columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = new CsvParser(new ManifestLineReader(stream));
        parser.Delimiter = delimiter ?? await parser.DetectDelimiterAsync(Delimiters, cancellationToken).ConfigureAwait(false);

        var header = await parser.ReadRecordAsync(cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            yield break;
        }

        if (header.InvalidByte is { } headerInvalidByte)
        {
            yield return ManifestRow.Invalid(header.Line, ManifestLineReader.InvalidUtf8Message(header.Line, headerInvalidByte));
        }

        var headerNames = header.Fields;
        int IndexOf(IReadOnlyList<string> candidates)
        {
            var name = ManifestColumns.Pick(candidates, headerNames);
            return name is null ? -1 : headerNames.IndexOf(name);
        }

        var id = IndexOf(columns.Id);
        var texts = ManifestColumns.PickAll(columns.Text, headerNames).Select(name => headerNames.IndexOf(name)).ToList();
        var image = IndexOf(columns.Image);
        var audio = IndexOf(columns.Audio);

        while (await parser.ReadRecordAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            var fields = record.Fields;
            if (fields.Count == 1 && fields[0].Length == 0 && record.Error is null)
            {
                continue;
            }

            if (record.InvalidByte is { } invalidByte)
            {
                yield return ManifestRow.Invalid(record.Line, ManifestLineReader.InvalidUtf8Message(record.Line, invalidByte));
                continue;
            }

            // A broken record keeps the id it starts with, when there is one, so its error row can be traced.
            var readableId = id >= 0 && id < fields.Count && fields[id].Length > 0 ? fields[id] : null;
            if (record.Error is not null)
            {
                yield return ManifestRow.Invalid(record.Line, $"line {record.Line}: {record.Error}") with { Id = readableId };
                continue;
            }

            if (fields.Count != headerNames.Count)
            {
                yield return ManifestRow.Invalid(record.Line,
                    $"line {record.Line} has {fields.Count} fields but the header has {headerNames.Count}: "
                    + $"quote fields that contain the delimiter {DelimiterName(parser.Delimiter)}") with { Id = readableId };
                continue;
            }

            string? Field(int index) => index < 0 || fields[index].Length == 0 ? null : fields[index];
            // The first text column with a value wins, so an empty "text" does not hide a "caption".
            var text = ManifestColumns.FirstNonBlank(texts.Select(Field));
            yield return new ManifestRow(record.Line, Field(id), text, Field(image), Field(audio));
        }
    }

    private static string DelimiterName(char delimiter) => delimiter switch
    {
        ',' => "',' (comma)",
        ';' => "';' (semicolon)",
        '\t' => "tab",
        _ => $"'{delimiter}'",
    };

    /// <summary>One CSV record: its fields, the line it starts on, any quoting error and the file
    /// offset of its first byte that is not valid UTF-8.</summary>
    private sealed record CsvRecord(List<string> Fields, long Line, string? Error, long? InvalidByte);

    /// <summary>Parses records from the lines of a manifest, one line in the buffer at a time, so
    /// that each character is known to come from a valid or an invalid line.</summary>
    private sealed class CsvParser(ManifestLineReader reader)
    {
        private string buffer = string.Empty;
        private ManifestLine? current;
        private int position;
        private long line = 1;

        /// <summary>Character that separates fields. Default: comma.</summary>
        public char Delimiter { get; set; } = ',';

        /// <summary>
        /// Returns the candidate that occurs most often outside quotes on the first line, the first
        /// candidate on a tie. The line stays in the buffer for <see cref="ReadRecordAsync"/>.
        /// </summary>
        public async ValueTask<char> DetectDelimiterAsync(char[] candidates, CancellationToken cancellationToken)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return candidates[0];
            }

            var counts = new int[candidates.Length];
            var quoted = false;
            foreach (var c in buffer)
            {
                quoted ^= c == '"';
                var index = Array.IndexOf(candidates, c);
                if (!quoted && index >= 0)
                {
                    counts[index]++;
                }
            }

            var best = 0;
            for (var i = 1; i < counts.Length; i++)
            {
                best = counts[i] > counts[best] ? i : best;
            }

            return candidates[best];
        }

        public async ValueTask<CsvRecord?> ReadRecordAsync(CancellationToken cancellationToken)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var startLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? error = null;
            long? invalidByte = null;
            var quoted = false;
            var afterQuote = false;

            while (await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                var c = buffer[position++];
                invalidByte ??= current!.InvalidByte;
                if (quoted)
                {
                    if (c != '"')
                    {
                        line += c == '\n' ? 1 : 0;
                        field.Append(c);
                        continue;
                    }

                    if (await FillAsync(cancellationToken).ConfigureAwait(false) && buffer[position] == '"')
                    {
                        position++;
                        field.Append('"');
                        continue;
                    }

                    quoted = false;
                    afterQuote = true;
                    continue;
                }

                if (c == Delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    afterQuote = false;
                    continue;
                }

                switch (c)
                {
                    case '\r':
                    case '\n':
                        if (c == '\r' && await FillAsync(cancellationToken).ConfigureAwait(false) && buffer[position] == '\n')
                        {
                            position++;
                        }

                        line++;
                        fields.Add(field.ToString());
                        return new CsvRecord(fields, startLine, error, invalidByte);
                    case '"' when field.Length == 0 && !afterQuote:
                        quoted = true;
                        continue;
                    default:
                        if (afterQuote)
                        {
                            error ??= $"character '{c}' follows a closing quote: double quotes inside a quoted field (\"\")";
                        }

                        field.Append(c);
                        continue;
                }
            }

            if (quoted)
            {
                // Every line after the open quote was read into this record, so their rows have no error of their own.
                var lastLine = field.Length > 0 && field[^1] == '\n' ? line - 1 : line;
                error ??= lastLine > startLine
                    ? $"a quoted field is never closed, so lines {startLine} to {lastLine} "
                        + "were read as one row: add the closing quote"
                    : $"a quoted field that starts on line {startLine} is never closed: add the closing quote";
            }

            fields.Add(field.ToString());
            return new CsvRecord(fields, startLine, error, invalidByte);
        }

        private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (position < buffer.Length)
            {
                return true;
            }

            current = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            buffer = current is null ? string.Empty : current.Text + current.Terminator;
            position = 0;
            return buffer.Length > 0;
        }
    }
}
