using System.Text;
using System.Text.Json;

using FreeBind.Demo;

namespace FreeBind.Client.Demo;

/// <summary>Converts the demo world's labels.jsonl into the evaluation labels manifest of the paired eval split.</summary>
internal static class DemoEvaluationLabels
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// Returns one <c>{"id": ..., "labels": [concept]}</c> line per eval entry. The world's ids start
    /// with <c>eval/</c> because they are formed from the whole corpus folder; the demo embeds
    /// <c>corpus/eval</c> alone, so its ids lack that prefix.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not a label object, or the file has no eval entry.</exception>
    public static string Convert(string worldLabelsPath)
    {
        var concepts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(worldLabelsPath))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var label = JsonSerializer.Deserialize<DemoLabel>(line, JsonOptions)
                ?? throw new InvalidDataException($"'{worldLabelsPath}' line {lineNumber} is not a label object: regenerate the world.");
            if (label.Split == "eval")
            {
                concepts[label.Id["eval/".Length..]] = label.Concept;
            }
        }

        if (concepts.Count == 0)
        {
            throw new InvalidDataException($"'{worldLabelsPath}' has no eval entries: generate the world with --eval-pairs 1 or more.");
        }

        var text = new StringBuilder();
        foreach (var (id, concept) in concepts)
        {
            text.Append(JsonSerializer.Serialize(new { id, labels = new[] { concept } })).Append('\n');
        }

        return text.ToString();
    }
}
