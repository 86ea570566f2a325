using FreeBind.Audio;
using FreeBind.Media;

namespace FreeBind.Demo;

/// <summary>Computes in C# the pooled features that <see cref="DemoOnnxModels"/> graphs compute, from preprocessed items.</summary>
internal static class DemoFeatures
{
    /// <summary>Returns the feature vector that the encoder of <paramref name="design"/> pools from <paramref name="item"/>.</summary>
    public static double[] Compute(DemoEncoderDesign design, PreprocessedItem item)
    {
        var tensor = item.Inputs[0];
        var values = tensor.Floats ?? throw new InvalidOperationException(
            $"encoder '{design.Space}/{design.Modality.ToName()}': input '{tensor.Name}' is not float");
        return PoolingOf(design) switch
        {
            DemoOnnxModels.Pooling.ImageTiles => ImageTiles(values, tensor.Shape),
            DemoOnnxModels.Pooling.FbankBands => BandMeans(values, bands: tensor.Shape[2], frames: tensor.Shape[3], bandMajor: true),
            _ => BandMeans(values, bands: tensor.Shape[2], frames: tensor.Shape[1], bandMajor: false),
        };
    }

    /// <summary>Returns how the encoder of <paramref name="design"/> pools its input.</summary>
    public static DemoOnnxModels.Pooling PoolingOf(DemoEncoderDesign design) => design.Spec.Preprocess switch
    {
        AudioRecipe { Features: "clapLogMel" } => DemoOnnxModels.Pooling.LogMelBands,
        AudioRecipe => DemoOnnxModels.Pooling.FbankBands,
        _ => DemoOnnxModels.Pooling.ImageTiles,
    };

    private static double[] ImageTiles(float[] values, int[] shape)
    {
        var side = shape[1];
        var tile = side / DemoWorldModel.ImageGrid;
        var grid = DemoWorldModel.ImageGrid;
        var features = new double[3 * grid * grid];
        for (var channel = 0; channel < 3; channel++)
        {
            for (var y = 0; y < side; y++)
            {
                for (var x = 0; x < side; x++)
                {
                    features[(channel * grid * grid) + ((y / tile) * grid) + (x / tile)] += values[(((channel * side) + y) * side) + x];
                }
            }
        }

        for (var i = 0; i < features.Length; i++)
        {
            features[i] /= tile * tile;
        }

        return features;
    }

    /// <summary>Averages per band over everything else: clips and frames for [clips, 1, bands, frames], frames for [1, frames, bands].</summary>
    private static double[] BandMeans(float[] values, int bands, int frames, bool bandMajor)
    {
        var features = new double[bands];
        var blocks = values.Length / (bands * frames);
        for (var block = 0; block < blocks; block++)
        {
            var offset = block * bands * frames;
            for (var band = 0; band < bands; band++)
            {
                for (var frame = 0; frame < frames; frame++)
                {
                    features[band] += bandMajor
                        ? values[offset + (band * frames) + frame]
                        : values[offset + (frame * bands) + band];
                }
            }
        }

        for (var band = 0; band < bands; band++)
        {
            features[band] /= blocks * frames;
        }

        return features;
    }
}
