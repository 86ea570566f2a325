namespace FreeBind.Demo;

/// <summary>
/// SplitMix64 generator with uniform and normal draws, so the demo world's bytes do not depend on
/// the .NET version's <see cref="Random"/> sequence.
/// </summary>
internal sealed class DemoRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Creates a generator for one named stream of a world, so each stream is independent of the others' lengths.</summary>
    public static DemoRandom For(int seed, string stream, int index = 0)
    {
        // FNV-1a over the stream name keeps streams apart without a shared draw order.
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var mixed = new DemoRandom(hash ^ ((ulong)(uint)seed << 32) ^ (ulong)(uint)index);
        return new DemoRandom(mixed.NextUInt64());
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Returns a double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Returns an integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)(NextDouble() * count);

    /// <summary>Returns a double in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public double Uniform(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Returns a standard normal draw (Box-Muller, one value per call).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Returns a rows × columns matrix (row-major) of normal draws times <paramref name="scale"/>.</summary>
    public double[] GaussianMatrix(int rows, int columns, double scale)
    {
        var values = new double[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = NextGaussian() * scale;
        }

        return values;
    }
}
