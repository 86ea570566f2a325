namespace FreeBind.Demo;

/// <summary>
/// The hidden structure of a demo world: word embeddings, concepts, and the linear maps from a
/// latent vector to image tile colours and audio band levels.
/// </summary>
/// <remarks>
/// A concept's latent is the sum of the embeddings of its four words. The visual words (colour,
/// texture) live in the first 8 latent dimensions and the audible words (sound, tempo) in the
/// last 8, each drawn from N(0, 1/2) per dimension there, so every latent dimension has
/// variance 1. Image tile colours and audio band levels are fixed random linear functions of
/// the whole latent, so each modality carries information about every word, as a photo and a
/// sound of the same thing would; an audio-text expert that never saw images reads only the
/// audible dimensions (<see cref="AudibleDimensionStart"/> onwards).
/// </remarks>
internal sealed class DemoWorldModel
{
    /// <summary>Length of a latent vector.</summary>
    public const int LatentDimension = 16;

    /// <summary>First latent dimension of the audible words (sound, tempo); the visual words fill the ones before it.</summary>
    public const int AudibleDimensionStart = LatentDimension / 2;

    /// <summary>Image tiles per side; the image has <see cref="ImageGrid"/>² tiles.</summary>
    public const int ImageGrid = 4;

    /// <summary>Number of tone bands in a recording.</summary>
    public const int AudioBands = 20;

    public DemoWorldModel(DemoWorldOptions options)
    {
        Seed = options.Seed;

        var wordRandom = DemoRandom.For(Seed, "words");
        WordEmbeddings = DemoLexicon.Slots
            .Select((slot, index) => slot.Select(_ => SlotEmbedding(wordRandom, DemoLexicon.IsAudibleSlot(index))).ToArray())
            .ToArray();

        var conceptRandom = DemoRandom.For(Seed, "concepts");
        var taken = new HashSet<int>();
        var concepts = new List<DemoConcept>(options.Concepts);
        var width = Math.Max(2, (options.Concepts - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        while (concepts.Count < options.Concepts)
        {
            var indices = DemoLexicon.Slots.Select(_ => conceptRandom.NextInt(DemoLexicon.WordsPerSlot)).ToArray();
            var key = indices.Aggregate(0, (acc, index) => (acc * DemoLexicon.WordsPerSlot) + index);
            if (!taken.Add(key))
            {
                continue;
            }

            var latent = new double[LatentDimension];
            for (var slot = 0; slot < indices.Length; slot++)
            {
                var embedding = WordEmbeddings[slot][indices[slot]];
                for (var d = 0; d < LatentDimension; d++)
                {
                    latent[d] += embedding[d];
                }
            }

            var id = "c" + concepts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');
            var words = indices.Select((index, slot) => DemoLexicon.Slots[slot][index]).ToArray();
            concepts.Add(new DemoConcept(id, words, indices, latent));
        }

        Concepts = concepts;

        var mapRandom = DemoRandom.For(Seed, "render-maps");
        ImageMap = mapRandom.GaussianMatrix(ImageGrid * ImageGrid * 3, LatentDimension, 1 / Math.Sqrt(LatentDimension));
        AudioMap = mapRandom.GaussianMatrix(AudioBands, LatentDimension, 1 / Math.Sqrt(LatentDimension));
    }

    public int Seed { get; }

    /// <summary>Embedding of each concept word, indexed [slot][word].</summary>
    public double[][][] WordEmbeddings { get; }

    public IReadOnlyList<DemoConcept> Concepts { get; }

    /// <summary>Row-major [48, 16] map from a latent to tile colour offsets (tile-major, then R, G, B).</summary>
    public double[] ImageMap { get; }

    /// <summary>Row-major [20, 16] map from a latent to log band levels.</summary>
    public double[] AudioMap { get; }

    /// <summary>Returns the embedding of a word, or null for a filler word.</summary>
    public double[]? WordEmbedding(string word)
    {
        for (var slot = 0; slot < DemoLexicon.Slots.Length; slot++)
        {
            var index = Array.IndexOf(DemoLexicon.Slots[slot], word);
            if (index >= 0)
            {
                return WordEmbeddings[slot][index];
            }
        }

        return null;
    }

    /// <summary>Returns a copy of a latent with the visual dimensions set to zero: what an audio-text expert can know.</summary>
    public static double[] AudiblePart(IReadOnlyList<double> latent)
    {
        var result = new double[LatentDimension];
        for (var d = AudibleDimensionStart; d < LatentDimension; d++)
        {
            result[d] = latent[d];
        }

        return result;
    }

    /// <summary>Multiplies a row-major [rows, 16] map by a latent.</summary>
    public static double[] Apply(double[] map, IReadOnlyList<double> latent)
    {
        var rows = map.Length / LatentDimension;
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            double sum = 0;
            for (var d = 0; d < LatentDimension; d++)
            {
                sum += map[(r * LatentDimension) + d] * latent[d];
            }

            result[r] = sum;
        }

        return result;
    }

    /// <summary>Draws a word embedding: N(0, 1/2) in its half of the latent (visual or audible), zero in the other.</summary>
    private static double[] SlotEmbedding(DemoRandom random, bool audible)
    {
        var half = random.GaussianMatrix(1, LatentDimension / 2, Math.Sqrt(0.5));
        var embedding = new double[LatentDimension];
        Array.Copy(half, 0, embedding, audible ? AudibleDimensionStart : 0, half.Length);
        return embedding;
    }
}
