using System.Text;

namespace FreeBind.Demo;

/// <summary>Templated captions and class prompts built from a concept's words.</summary>
internal static class DemoCaptions
{
    /// <summary>Probability that a caption names each of the concept's words; at least two are always named.</summary>
    public const double WordProbability = 0.75;

    /// <summary>
    /// Writes a caption such as "this is a teal striped mosaic with a slow humming tone." with a
    /// random opener, nouns and connector, and each concept word kept with probability 0.75.
    /// </summary>
    public static string Caption(DemoConcept concept, DemoRandom random)
    {
        var keep = new bool[concept.Words.Count];
        var kept = 0;
        for (var i = 0; i < keep.Length; i++)
        {
            keep[i] = random.NextDouble() < WordProbability;
            kept += keep[i] ? 1 : 0;
        }

        while (kept < 2)
        {
            var index = random.NextInt(keep.Length);
            if (!keep[index])
            {
                keep[index] = true;
                kept++;
            }
        }

        return Compose(
            concept,
            keep,
            DemoLexicon.Openers[random.NextInt(DemoLexicon.Openers.Length)],
            DemoLexicon.VisualNouns[random.NextInt(DemoLexicon.VisualNouns.Length)],
            DemoLexicon.Connectors[random.NextInt(DemoLexicon.Connectors.Length)],
            DemoLexicon.SoundNouns[random.NextInt(DemoLexicon.SoundNouns.Length)]);
    }

    /// <summary>Writes the class prompt of a concept, naming all four words with fixed template words.</summary>
    public static string Prompt(DemoConcept concept) =>
        Compose(concept, [true, true, true, true], "a picture of a", "mosaic", "with a", "sound");

    private static string Compose(DemoConcept concept, bool[] keep, string opener, string visualNoun, string connector, string soundNoun)
    {
        var text = new StringBuilder(opener);
        foreach (var slot in new[] { 0, 1 })
        {
            if (keep[slot])
            {
                text.Append(' ').Append(concept.Words[slot]);
            }
        }

        text.Append(' ').Append(visualNoun).Append(' ').Append(connector);
        foreach (var slot in new[] { 3, 2 })
        {
            if (keep[slot])
            {
                text.Append(' ').Append(concept.Words[slot]);
            }
        }

        return text.Append(' ').Append(soundNoun).Append('.').ToString();
    }
}
