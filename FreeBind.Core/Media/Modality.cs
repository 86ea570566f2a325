namespace FreeBind.Media;

/// <summary>A kind of data that a space can embed.</summary>
public enum Modality
{
    Image,
    Text,
    Audio,
}
