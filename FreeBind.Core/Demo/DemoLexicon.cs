namespace FreeBind.Demo;

/// <summary>Words of the demo world: four slots of eight concept words, and the filler words of caption templates.</summary>
internal static class DemoLexicon
{
    /// <summary>Concept words by slot: colour, texture, sound, tempo. A concept takes one word from each slot.</summary>
    public static readonly string[][] Slots =
    [
        ["crimson", "amber", "teal", "violet", "olive", "ivory", "cobalt", "scarlet"],
        ["striped", "dotted", "grainy", "glossy", "woven", "marbled", "rippled", "speckled"],
        ["humming", "chiming", "buzzing", "whistling", "rumbling", "clicking", "ringing", "droning"],
        ["slow", "rapid", "steady", "pulsing", "fading", "swelling", "gentle", "sharp"],
    ];

    /// <summary>Caption openers; the concept words follow.</summary>
    public static readonly string[] Openers =
        ["a picture of a", "this is a", "here we have a", "an image of a", "a recording of a", "look at this"];

    /// <summary>Nouns after the visual words.</summary>
    public static readonly string[] VisualNouns = ["tile pattern", "mosaic", "grid", "panel"];

    /// <summary>Words between the visual and the sound part.</summary>
    public static readonly string[] Connectors = ["with a", "that makes a", "and a", "along with a"];

    /// <summary>Nouns after the sound words.</summary>
    public static readonly string[] SoundNouns = ["sound", "tone", "noise", "hum"];

    /// <summary>Number of word slots.</summary>
    public static int SlotCount => Slots.Length;

    /// <summary>Words per slot.</summary>
    public static int WordsPerSlot => Slots[0].Length;

    /// <summary>Index of the first audible slot (sound); the slots before it (colour, texture) are visual.</summary>
    public const int FirstAudibleSlot = 2;

    /// <summary>Every concept word, slot by slot.</summary>
    public static IEnumerable<string> ConceptWords => Slots.SelectMany(slot => slot);

    /// <summary>Returns whether a slot names something heard (sound, tempo) rather than seen.</summary>
    public static bool IsAudibleSlot(int slot) => slot >= FirstAudibleSlot;

    /// <summary>Every distinct word that a caption or class prompt can contain, concept words first.</summary>
    public static IReadOnlyList<string> AllWords() =>
        ConceptWords
            .Concat(FillerWords())
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Distinct template words that carry no concept information.</summary>
    public static IReadOnlyList<string> FillerWords() =>
        Openers.Concat(VisualNouns).Concat(Connectors).Concat(SoundNouns)
            .SelectMany(phrase => phrase.Split(' '))
            .Where(word => !ConceptWords.Contains(word, StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
