namespace FreeBind.Audio;

/// <summary>How a multi-channel recording becomes the one channel that features are computed on.</summary>
public enum ChannelMix
{
    /// <summary>Mean of all channels.</summary>
    Average,

    /// <summary>
    /// Channel 0 only. This is what ImageBind's audio transform gets, because
    /// <c>torchaudio.compliance.kaldi.fbank</c> reads channel 0 of a multi-channel waveform.
    /// </summary>
    First,
}
