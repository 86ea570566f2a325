using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Media;

using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Tests.Bonds.Runtime;

public sealed class OnnxModelInputsTests
{
    // Hyphenated space and bond names, as in the demo, so the sanitised graph names differ from them.
    private static readonly FusionPlan Plan = new(
        Modality.Audio,
        ["unified", "audio-text"],
        [GeneratedModels.AudioDimension, 5],
        [
            new FusionStep("c-audio-text", FusionStep.Current, 0.5f, false,
                [new ProjectorMember("audio-text", RandomProjectors.Create(3, 5, 16, GeneratedModels.AudioDimension), "audio-text/mix")],
                GeneratedModels.AudioDimension),
        ],
        GeneratedModels.AudioDimension);

    [Fact]
    public void FusionModel_ListsSanitisedNames()
    {
        var model = FusionGraphBuilder.Build(Plan, new FusionGraphOptions { FactorInputs = true });

        var inputs = OnnxModelInputs.Describe(model);

        Assert.Equal(
            [
                $"unified [batch, {GeneratedModels.AudioDimension}] float",
                "audio_text [batch, 5] float",
                "factor_c_audio_text [] float, optional, default 0.5",
            ],
            inputs);
        using var session = new InferenceSession(model);
        Assert.Equal(["unified", "audio_text"], session.InputNames);
        Assert.Contains("factor_c_audio_text", session.OverridableInitializerMetadata.Keys);
    }

    [Fact]
    public void ComposedModel_ListsEncoderInputs()
    {
        var composed = FusionGraphComposer.Compose(
            FusionGraphBuilder.Build(Plan, new FusionGraphOptions { FactorInputs = true }),
            [new EncoderGraph("unified", GeneratedModels.BuildAudioEncoder(), "embedding", "none", Normalize: true)]);

        var names = OnnxModelInputs.Describe(composed).Select(line => line.Split(' ')[0]).ToList();

        Assert.Contains("unified/audio", names);
        Assert.Contains("audio_text", names);
        Assert.Contains("factor_c_audio_text", names);
        Assert.DoesNotContain("unified", names);
    }
}
