using System.Runtime.CompilerServices;
using System.Text.Json;

namespace FreeBind.Corpus;

/// <summary>Reads a JSON Lines manifest: one object per line, blank lines skipped.</summary>
internal static class JsonlManifestReader
{
    /// <summary>Yields one row per non-blank line. A line that is not valid UTF-8 or not a JSON
    /// object becomes an invalid row.</summary>
    public static async IAsyncEnumerable<ManifestRow> ReadAsync(
        Stream stream, ManifestColumns columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new ManifestLineReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.InvalidByte is { } invalidByte)
            {
                yield return ManifestRow.Invalid(line.Number, ManifestLineReader.InvalidUtf8Message(line.Number, invalidByte));
                continue;
            }

            if (string.IsNullOrWhiteSpace(line.Text))
            {
                continue;
            }

            yield return ParseLine(line.Number, line.Text, columns);
        }
    }

    private static ManifestRow ParseLine(long number, string line, ManifestColumns columns)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException exception)
        {
            // System.Text.Json ends its message with the position inside the line's own document,
            // "LineNumber: 0 | BytePositionInLine: 19.", which reads as wrong for a manifest.
            var reason = exception.BytePositionInLine is { } column
                ? $"{exception.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.', ' ')} at byte {column + 1} of the line"
                : exception.Message;
            return ManifestRow.Invalid(number, $"line {number} is not valid JSON ({reason}): fix or remove the line");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ManifestRow.Invalid(number,
                    $"line {number} is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object: "
                    + "write one object per line");
            }

            var properties = document.RootElement.EnumerateObject().ToList();
            var names = properties.Select(property => property.Name).ToList();
            string? error = null;
            string? Field(IReadOnlyList<string> candidates)
            {
                var name = ManifestColumns.Pick(candidates, names);
                return name is null ? null : Value(name);
            }

            string? Value(string name)
            {
                var value = properties.First(property => property.Name == name).Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        return value.GetString();
                    case JsonValueKind.Number:
                        return value.GetRawText();
                    case JsonValueKind.Null:
                        return null;
                    default:
                        error ??= $"line {number}: field '{name}' is a JSON {value.ValueKind.ToString().ToLowerInvariant()}, "
                            + "expected a string or number";
                        return null;
                }
            }

            // The first text column with a value wins, so an empty "text" does not hide a "caption".
            var text = ManifestColumns.FirstNonBlank(ManifestColumns.PickAll(columns.Text, names).Select(Value).ToList());
            var row = new ManifestRow(number, Field(columns.Id), text, Field(columns.Image), Field(columns.Audio));
            return error is null ? row : ManifestRow.Invalid(number, error) with { Id = row.Id };
        }
    }
}
