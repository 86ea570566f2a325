namespace FreeBind.Audio;

/// <summary>ITU-T G.711 A-law and mu-law expansion to 16-bit linear values.</summary>
internal static class G711
{
    /// <summary>Expands one A-law byte to a linear value in [-32256, 32256].</summary>
    public static int DecodeALaw(byte code)
    {
        int value = code ^ 0x55;
        int segment = (value & 0x70) >> 4;
        int magnitude = (value & 0x0F) << 4;
        magnitude = segment == 0 ? magnitude + 8 : (magnitude + 0x108) << (segment - 1);
        return (value & 0x80) != 0 ? magnitude : -magnitude;
    }

    /// <summary>Expands one mu-law byte to a linear value in [-32124, 32124].</summary>
    public static int DecodeMuLaw(byte code)
    {
        int value = ~code & 0xFF;
        int magnitude = (((value & 0x0F) << 3) + 0x84) << ((value & 0x70) >> 4);
        return (value & 0x80) != 0 ? 0x84 - magnitude : magnitude - 0x84;
    }
}
