using FreeBind.Audio;
using FreeBind.Imaging;
using FreeBind.Spaces;
using FreeBind.Text;

namespace FreeBind.Encoders;

/// <summary>The model inputs each kind of preprocessing recipe produces.</summary>
public static class RecipeInputs
{
    /// <summary>Lists the inputs <paramref name="recipe"/> produces per item.</summary>
    public static IReadOnlyList<ModelInput> Describe(PreprocessRecipe recipe) => recipe switch
    {
        ImageRecipe image => [new ModelInput(image.Input, false, [3, image.Size, image.Size])],
        AudioRecipe audio => [new ModelInput(audio.Input, false, DescribeAudio(audio))],
        TextRecipe text => DescribeText(text),
        _ => throw new ArgumentException($"Unknown recipe type {recipe.GetType().Name}.", nameof(recipe)),
    };

    private static int[] DescribeAudio(AudioRecipe audio) => audio.Features switch
    {
        "kaldiFbank" => [audio.Clips, 1, audio.MelBins, audio.ClipFrames],
        "clapLogMel" => [1, -1, audio.MelBins],
        _ => [-1],
    };

    private static List<ModelInput> DescribeText(TextRecipe text)
    {
        var length = text.Padding == "fixed" ? text.ContextLength : -1;
        var inputs = new List<ModelInput> { new(text.InputIds, true, [length]) };
        if (text.AttentionMask is not null)
        {
            inputs.Add(new ModelInput(text.AttentionMask, true, [length]));
        }

        if (text.TokenTypeIds is not null)
        {
            inputs.Add(new ModelInput(text.TokenTypeIds, true, [length]));
        }

        return inputs;
    }
}
