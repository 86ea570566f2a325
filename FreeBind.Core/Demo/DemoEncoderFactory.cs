using FreeBind.Media;
using FreeBind.Text;

namespace FreeBind.Demo;

/// <summary>
/// Turns the demo world's hidden structure into encoder weights: a ridge read-out of the latent
/// from pooled features (or the word embeddings for text), a per-encoder error matrix, the
/// space's fixed projection and a nuisance term.
/// </summary>
/// <remarks>
/// Embedding (row vectors) = latent read-out × (I + σG/√16) × P + nuisance. P is one fixed
/// [16, dimension] Gaussian matrix per space, so encoders of one space agree on where the
/// latent goes; σ and the nuisance weight set how well they agree. The nuisance of a feature
/// encoder is a random projection of its centred features, scaled to the given ratio of the
/// signal's RMS over the calibration items; for a text encoder it is a random row for each filler
/// word, with a norm of that ratio times the mean row norm of the concept words it reads. An
/// audible-only encoder (<see cref="DemoEncoderDesign.AudibleOnly"/>) reads the sound and tempo
/// half of the latent: its ridge target drops the visual dimensions and its colour and texture
/// words keep zero rows.
/// </remarks>
internal sealed class DemoEncoderFactory(DemoWorldModel world)
{
    private const int Latent = DemoWorldModel.LatentDimension;

    /// <summary>Ridge penalty per calibration item on the read-out weights.</summary>
    private const double RidgePenalty = 1e-3;

    /// <summary>Builds a feature encoder fitted on calibration features and their latents.</summary>
    public byte[] BuildFeatureEncoder(DemoEncoderDesign design, IReadOnlyList<double[]> features, IReadOnlyList<double[]> latents)
    {
        var dimension = design.Spec.Dimension;
        var featureCount = features[0].Length;
        var targets = design.AudibleOnly ? latents.Select(DemoWorldModel.AudiblePart).ToList() : latents;
        var readout = DemoRidge.Fit(features, targets, RidgePenalty);
        var map = SignalMap(design);

        // signal[(features + 1), dimension] = readout × map
        var signal = new double[featureCount + 1, dimension];
        for (var f = 0; f <= featureCount; f++)
        {
            for (var d = 0; d < dimension; d++)
            {
                double sum = 0;
                for (var l = 0; l < Latent; l++)
                {
                    sum += readout[f, l] * map[(l * dimension) + d];
                }

                signal[f, d] = sum;
            }
        }

        var mean = new double[featureCount];
        foreach (var row in features)
        {
            for (var f = 0; f < featureCount; f++)
            {
                mean[f] += row[f] / features.Count;
            }
        }

        var nuisance = DemoRandom.For(world.Seed, $"nuisance/{design.Space}/{design.Modality.ToName()}")
            .GaussianMatrix(featureCount, dimension, 1);
        double signalSquares = 0;
        double nuisanceSquares = 0;
        foreach (var row in features)
        {
            for (var d = 0; d < dimension; d++)
            {
                double s = signal[featureCount, d];
                double n = 0;
                for (var f = 0; f < featureCount; f++)
                {
                    s += row[f] * signal[f, d];
                    n += (row[f] - mean[f]) * nuisance[(f * dimension) + d];
                }

                signalSquares += s * s;
                nuisanceSquares += n * n;
            }
        }

        var scale = nuisanceSquares > 0 ? design.Nuisance * Math.Sqrt(signalSquares / nuisanceSquares) : 0;
        var weights = new float[featureCount * dimension];
        var bias = new float[dimension];
        for (var d = 0; d < dimension; d++)
        {
            double shift = signal[featureCount, d];
            for (var f = 0; f < featureCount; f++)
            {
                var value = signal[f, d] + (scale * nuisance[(f * dimension) + d]);
                weights[(f * dimension) + d] = (float)value;
                shift -= scale * mean[f] * nuisance[(f * dimension) + d];
            }

            bias[d] = (float)shift;
        }

        var input = design.Spec.Preprocess switch
        {
            Audio.AudioRecipe audio => audio.Input,
            Imaging.ImageRecipe image => image.Input,
            _ => throw new InvalidOperationException($"encoder '{design.Space}/{design.Modality.ToName()}' has no feature recipe"),
        };
        var pooling = DemoFeatures.PoolingOf(design);
        long[] dimensions = pooling switch
        {
            DemoOnnxModels.Pooling.ImageTiles => [3, DemoImageRenderer.Size, DemoImageRenderer.Size],
            DemoOnnxModels.Pooling.FbankBands => [3, 1, 128, 204],
            _ => [1, 1001, 64],
        };
        return DemoOnnxModels.BuildFeatureEncoder(
            $"demo_{design.Space}_{design.Modality.ToName()}".Replace('-', '_'),
            input,
            dimensions,
            pooling,
            weights,
            bias,
            design.Spec.Output,
            $"Demo-world {design.Modality.ToName()} encoder of space '{design.Space}' (seed {world.Seed}): "
            + $"pooled features, ridge read-out of the latent, error σ {design.Distortion}, nuisance {design.Nuisance}.");
    }

    /// <summary>Builds a text encoder whose token rows are the projected word embeddings.</summary>
    public byte[] BuildTextEncoder(DemoEncoderDesign design, DemoTokenizerFiles tokenizer)
    {
        var dimension = design.Spec.Dimension;
        var recipe = (TextRecipe)design.Spec.Preprocess!;
        var map = SignalMap(design);
        var table = new float[tokenizer.VocabularySize * dimension];

        double norms = 0;
        var readWords = 0;
        foreach (var word in DemoLexicon.ConceptWords)
        {
            var embedding = world.WordEmbedding(word)!;
            if (design.AudibleOnly)
            {
                // The visual words' embeddings are zero in the audible half, so their rows are zero.
                embedding = DemoWorldModel.AudiblePart(embedding);
                if (embedding.All(value => value == 0))
                {
                    continue;
                }
            }

            readWords++;
            var row = new double[dimension];
            for (var d = 0; d < dimension; d++)
            {
                for (var l = 0; l < Latent; l++)
                {
                    row[d] += embedding[l] * map[(l * dimension) + d];
                }
            }

            norms += Math.Sqrt(row.Sum(v => v * v));
            foreach (var id in tokenizer.WordIds[word])
            {
                for (var d = 0; d < dimension; d++)
                {
                    table[(id * dimension) + d] = (float)row[d];
                }
            }
        }

        var fillerNorm = design.Nuisance * norms / readWords;
        var random = DemoRandom.For(world.Seed, $"nuisance/{design.Space}/text");
        foreach (var word in DemoLexicon.FillerWords())
        {
            var row = random.GaussianMatrix(1, dimension, 1);
            var norm = Math.Sqrt(row.Sum(v => v * v));
            foreach (var id in tokenizer.WordIds[word])
            {
                for (var d = 0; d < dimension; d++)
                {
                    table[(id * dimension) + d] = (float)(row[d] * fillerNorm / norm);
                }
            }
        }

        return DemoOnnxModels.BuildTextEncoder(
            $"demo_{design.Space}_text".Replace('-', '_'),
            recipe.InputIds,
            recipe.AttentionMask,
            recipe.ContextLength,
            table,
            dimension,
            design.Spec.Output,
            $"Demo-world text encoder of space '{design.Space}' (seed {world.Seed}, tokenizer {recipe.Tokenizer}): "
            + $"mean of token rows, error σ {design.Distortion}, filler-word nuisance {design.Nuisance}.");
    }

    /// <summary>Returns (I + σG/√16) × P as a row-major [16, dimension] matrix.</summary>
    private double[] SignalMap(DemoEncoderDesign design)
    {
        var dimension = design.Spec.Dimension;
        var projection = DemoRandom.For(world.Seed, $"projection/{design.Space}").GaussianMatrix(Latent, dimension, 1 / Math.Sqrt(dimension));
        var error = DemoRandom.For(world.Seed, $"error/{design.Space}/{design.Modality.ToName()}")
            .GaussianMatrix(Latent, Latent, design.Distortion / Math.Sqrt(Latent));
        for (var l = 0; l < Latent; l++)
        {
            error[(l * Latent) + l] += 1;
        }

        var map = new double[Latent * dimension];
        for (var a = 0; a < Latent; a++)
        {
            for (var d = 0; d < dimension; d++)
            {
                double sum = 0;
                for (var b = 0; b < Latent; b++)
                {
                    sum += error[(a * Latent) + b] * projection[(b * dimension) + d];
                }

                map[(a * dimension) + d] = sum;
            }
        }

        return map;
    }
}
