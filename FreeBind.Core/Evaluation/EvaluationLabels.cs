using System.Text.Json;

namespace FreeBind.Evaluation;

/// <summary>
/// The labels manifest of an evaluation: the labels (groups, classes) of each item and the class
/// each class prompt stands for. The format is described in docs/evaluation.md.
/// </summary>
/// <remarks>
/// JSONL: one object per line, <c>{"id": "clip-1", "labels": ["dog", "bark"]}</c> for an item and
/// <c>{"id": "prompt-dog", "class": "dog"}</c> for a class prompt. CSV: a header naming <c>id</c>
/// and <c>labels</c> and/or <c>class</c>; several labels in one field are separated by <c>;</c>.
/// Ids are the corpus entry ids written to the embedding rows.
/// </remarks>
public sealed class EvaluationLabels
{
    private const string IdGroupPrefix = "id:";
    private const string LabelGroupPrefix = "label:";

    private EvaluationLabels(Dictionary<string, IReadOnlyList<string>> items, Dictionary<string, string> prompts)
    {
        ItemLabels = items;
        PromptClasses = prompts;
    }

    /// <summary>No labels: items match only their own id in the other modality.</summary>
    public static EvaluationLabels Empty { get; } = new([], []);

    /// <summary>Labels of each item id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ItemLabels { get; }

    /// <summary>Class of each class-prompt id.</summary>
    public IReadOnlyDictionary<string, string> PromptClasses { get; }

    /// <summary>
    /// Returns the groups an item belongs to for retrieval: its labels when the manifest lists it,
    /// otherwise its own id, so an item with no labels matches the item with the same id.
    /// </summary>
    public IReadOnlyList<string> GroupsOf(string id) =>
        ItemLabels.TryGetValue(id, out var labels)
            ? labels.Select(label => LabelGroupPrefix + label).ToList()
            : [IdGroupPrefix + id];

    /// <summary>Reads a labels manifest file; the format follows the extension (.jsonl, .json or .csv).</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="FormatException">A line is invalid; the message names the file and line.</exception>
    public static async Task<EvaluationLabels> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"labels manifest '{path}' not found: pass an existing .jsonl or .csv file to --labels.", path);
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, FormatOf(path), path);
    }

    /// <summary>Returns "csv" for a .csv path and "jsonl" otherwise.</summary>
    public static string FormatOf(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "jsonl";

    /// <summary>Parses manifest text.</summary>
    /// <param name="text">The manifest.</param>
    /// <param name="format">"jsonl" or "csv".</param>
    /// <param name="displayName">File name for error messages.</param>
    /// <exception cref="FormatException">A line is invalid or an id repeats with a different role.</exception>
    public static EvaluationLabels Parse(string text, string format, string displayName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = format switch
        {
            "csv" => ParseCsv(text, displayName),
            "jsonl" => ParseJsonl(text, displayName),
            _ => throw new FormatException($"labels manifest '{displayName}': unknown format '{format}'; use jsonl or csv."),
        };

        foreach (var (line, id, labels, className) in rows)
        {
            if (string.IsNullOrEmpty(id))
            {
                throw new FormatException($"labels manifest '{displayName}' line {line}: missing \"id\".");
            }

            if (className is not null)
            {
                if (labels.Count > 0)
                {
                    throw new FormatException(
                        $"labels manifest '{displayName}' line {line}: id '{id}' has both \"class\" and \"labels\"; " +
                        "a row is either a class prompt or an item.");
                }

                if (prompts.TryGetValue(id, out var existing) && existing != className)
                {
                    throw new FormatException(
                        $"labels manifest '{displayName}' line {line}: prompt '{id}' is listed for classes '{existing}' and '{className}'.");
                }

                prompts[id] = className;
                continue;
            }

            if (!items.TryGetValue(id, out var list))
            {
                items[id] = list = [];
            }

            foreach (var label in labels.Where(label => !list.Contains(label)))
            {
                list.Add(label);
            }
        }

        return new EvaluationLabels(
            items.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal),
            prompts);
    }

    private static IEnumerable<(int Line, string Id, List<string> Labels, string? Class)> ParseJsonl(string text, string displayName)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new FormatException($"labels manifest '{displayName}' line {i + 1}: invalid JSON ({exception.Message}).", exception);
            }

            var id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : "";
            var labels = new List<string>();
            if (root.TryGetProperty("labels", out var labelsElement))
            {
                if (labelsElement.ValueKind == JsonValueKind.Array)
                {
                    labels.AddRange(labelsElement.EnumerateArray().Select(e => e.ToString()));
                }
                else
                {
                    labels.Add(labelsElement.ToString());
                }
            }

            var className = root.TryGetProperty("class", out var classElement) ? classElement.ToString() : null;
            yield return (i + 1, id, labels, className);
        }
    }

    private static IEnumerable<(int Line, string Id, List<string> Labels, string? Class)> ParseCsv(string text, string displayName)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = lines.Count > 0 ? SplitCsv(lines[0]) : [];
        var idColumn = header.IndexOf("id");
        var labelsColumn = header.IndexOf("labels");
        var classColumn = header.IndexOf("class");
        if (idColumn < 0 || (labelsColumn < 0 && classColumn < 0))
        {
            throw new FormatException(
                $"labels manifest '{displayName}': the CSV header must name \"id\" and \"labels\" and/or \"class\" " +
                $"(found: {string.Join(", ", header)}).");
        }

        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var fields = SplitCsv(lines[i]);
            string Field(int column) => column >= 0 && column < fields.Count ? fields[column].Trim() : "";
            var labels = Field(labelsColumn).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var className = Field(classColumn);
            yield return (i + 1, Field(idColumn), labels, className.Length == 0 ? null : className);
        }
    }

    // Splits one CSV line; fields may be quoted with "" as an escaped quote.
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
