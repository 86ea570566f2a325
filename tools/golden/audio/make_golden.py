#!/usr/bin/python3
"""Write the audio golden fixtures for tests/FreeBind.Core.Tests/Audio.

Run with Debian's interpreter, which has python3-torch 1.13 and python3-torchaudio 0.13.1:

    /usr/bin/python3 tools/golden/audio/make_golden.py

Needs sox on PATH for the float, A-law, mu-law and extensible WAV variants. Writes raw
little-endian float32 arrays (*.f32), WAV inputs and manifest.json, which lists every array
with its shape. Test signals come from synth(), which the C# tests repeat with Math.Sin.
"""
import json
import math
import os
import subprocess
import wave
from fractions import Fraction

import numpy as np
import torch
import torchaudio

OUT = os.path.join(os.path.dirname(__file__), "../../../tests/FreeBind.Core.Tests/Fixtures/Audio")
MANIFEST = {"torch": torch.__version__, "torchaudio": torchaudio.__version__, "arrays": {}}


def synth(rate, count, channel=0):
    """Two tones and a rising chirp; each value is rounded to float32."""
    values = []
    for i in range(count):
        t = i / rate
        v = (0.5 * math.sin(2 * math.pi * 440 * t + channel)
             + 0.3 * math.sin(2 * math.pi * 3000 * t + 0.5)
             + 0.1 * math.sin(2 * math.pi * (100 + 2000 * i / count) * t))
        values.append(v)
    return np.array(values, dtype=np.float32)


class Float64Default:
    """Makes torch build filter banks and windows in float64, so *_f64 references are exact."""

    def __enter__(self):
        torch.set_default_dtype(torch.float64)

    def __exit__(self, *_):
        torch.set_default_dtype(torch.float32)


def save(name, array, **meta):
    array = np.ascontiguousarray(np.asarray(array, dtype=np.float32))
    array.tofile(os.path.join(OUT, name + ".f32"))
    MANIFEST["arrays"][name] = {"shape": list(array.shape), **meta}


def write_pcm(path, rate, channels, width, frames_by_channel):
    """Writes integer PCM with Python's wave module (8-bit unsigned, others signed)."""
    interleaved = np.stack(frames_by_channel, axis=1).astype(np.float64)
    if width == 1:
        ints = np.clip(np.round(interleaved * 128 + 128), 0, 255).astype(np.uint8)
        raw = ints.tobytes()
    else:
        scale = 2 ** (8 * width - 1)
        ints = np.clip(np.round(interleaved * scale), -scale, scale - 1).astype(np.int64)
        raw = b"".join(int(v).to_bytes(width, "little", signed=True) for v in ints.reshape(-1))
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(raw)


def load_mono(path, first=False):
    waveform, rate = torchaudio.load(path)
    return (waveform[:1] if first else waveform.mean(0, keepdim=True)), rate


def wav_variants():
    rate, count = 22050, 2205
    left, right = synth(rate, count, 0), synth(rate, count, 1)
    base = os.path.join(OUT, "tone_pcm16_stereo.wav")
    write_pcm(base, rate, 2, 2, [left, right])
    write_pcm(os.path.join(OUT, "tone_pcm8_stereo.wav"), rate, 2, 1, [left, right])
    write_pcm(os.path.join(OUT, "tone_pcm24_stereo.wav"), rate, 2, 3, [left, right])
    write_pcm(os.path.join(OUT, "tone_pcm32_stereo.wav"), rate, 2, 4, [left, right])
    sox_variants = {
        "tone_float32_stereo.wav": ["-e", "floating-point", "-b", "32"],
        "tone_float64_stereo.wav": ["-e", "floating-point", "-b", "64"],
        "tone_alaw_stereo.wav": ["-e", "a-law"],
        "tone_ulaw_stereo.wav": ["-e", "u-law"],
    }
    for name, args in sox_variants.items():
        subprocess.run(["sox", base, *args, os.path.join(OUT, name)], check=True)
    # sox writes WAVE_FORMAT_EXTENSIBLE for more than two channels or more than 16 bits.
    subprocess.run(["sox", "-M", base, base, "-b", "24", os.path.join(OUT, "tone_ext24_quad.wav")], check=True)
    for name in sorted(os.listdir(OUT)):
        if name.startswith("tone_") and name.endswith(".wav"):
            mono, _ = load_mono(os.path.join(OUT, name))
            save("decoded_" + name[:-4], mono[0].numpy(), rate=rate)


def resample_cases():
    for source, target in [(44100, 16000), (22050, 16000), (8000, 16000), (16000, 48000), (44100, 48000)]:
        x = torch.from_numpy(synth(source, source // 10))
        y32 = torchaudio.functional.resample(x, source, target)
        with Float64Default():
            y64 = torchaudio.functional.resample(x.double(), source, target)
        save(f"resample_{source}_{target}_f32", y32.numpy(), source=source, target=target, samples=source // 10)
        save(f"resample_{source}_{target}_f64", y64.numpy(), source=source, target=target, samples=source // 10)


def imagebind_fbank(waveform):
    return torchaudio.compliance.kaldi.fbank(
        waveform, htk_compat=True, sample_frequency=16000, use_energy=False, window_type="hanning",
        num_mel_bins=128, dither=0.0, frame_length=25, frame_shift=10)


def fbank_cases():
    x = torch.from_numpy(synth(16000, 16000))[None]
    save("fbank_16k_f32", imagebind_fbank(x).numpy(), samples=16000)
    with Float64Default():
        f64 = imagebind_fbank(x.double())
    f32 = imagebind_fbank(x)
    save("fbank_16k_f64", f64.numpy(), samples=16000,
         float32_reference_error=float((f32.double() - f64).abs().max()))


def clip_spans(samples, rate, clip_seconds, clips):
    """ConstantClipsPerVideoSampler placement as ImageBind calls it (pytorchvideo is not installed)."""
    duration = samples / rate
    max_start = Fraction(max(duration - float(Fraction(clip_seconds)), 0))
    step = max_start / max(clips - 1, 1)
    spans = []
    for k in range(clips):
        start = step * k
        end = start + Fraction(clip_seconds)
        spans.append([min(int(start * rate), samples), min(int(end * rate), samples)])
    return spans


def imagebind_clips(waveform, rate, dtype):
    """ImageBind's load_and_transform_audio_data after torchaudio.load, on a given waveform."""
    waveform = waveform.to(dtype)
    if rate != 16000:
        waveform = torchaudio.functional.resample(waveform, orig_freq=rate, new_freq=16000)
    out = []
    for start, end in clip_spans(waveform.size(1), 16000, 2, 3):
        clip = waveform[:, start:end]
        clip -= clip.mean()
        fb = imagebind_fbank(clip).transpose(0, 1)
        p = 204 - fb.size(1)
        fb = torch.nn.functional.pad(fb, (0, p)) if p > 0 else fb[:, :204]
        out.append(((fb - (-4.268)) / 9.138).unsqueeze(0))
    return torch.stack(out)


def end_to_end_cases():
    rate, count = 22050, int(22050 * 2.3)
    path = os.path.join(OUT, "e2e_pcm16_stereo_22k.wav")
    write_pcm(path, rate, 2, 2, [synth(rate, count, 0), synth(rate, count, 2) * 0.5])
    frames = list(range(0, 8)) + list(range(190, 204))
    for mode, first in [("average", False), ("first", True)]:
        waveform, _ = load_mono(path, first)
        f32 = imagebind_clips(waveform.clone(), rate, torch.float32)
        with Float64Default():
            f64 = imagebind_clips(waveform.clone(), rate, torch.float64)
        save(f"imagebind_{mode}_f32", f32[:, :, :, frames].numpy(), frames=frames)
        save(f"imagebind_{mode}_f64", f64[:, :, :, frames].numpy(), frames=frames,
             float32_reference_error=float((f32.double() - f64).abs().max()))
    # The literal ImageBind path hands the stereo waveform to fbank, which reads channel 0.
    stereo, _ = torchaudio.load(path)
    literal = imagebind_clips(stereo.clone(), rate, torch.float32)
    save("imagebind_literal_stereo_f32", literal[:, :, :, frames].numpy(), frames=frames)

    cases = [(16000 * 5, 16000), (int(16000 * 2.3), 16000), (16000, 16000), (33333, 16000), (160000 + 7, 16000)]
    MANIFEST["clipSpans"] = [
        {"samples": n, "rate": r, "spans": clip_spans(n, r, 2, 3)} for n, r in cases]


def clap_cases():
    rate, count = 48000, 62400
    x = synth(rate, count)
    segment = np.zeros(480000, dtype=np.float32)
    repeats = 480000 // count
    tiled = np.tile(x, repeats)
    segment[:tiled.size] = tiled
    with Float64Default():
        db = clap_reference(rate, segment)
    frames = list(range(0, db.size(1), 10))
    save("clap_48k_f64", db.transpose(0, 1)[frames].numpy(), samples=count, frames=frames)


def clap_reference(rate, segment):
    mel = torchaudio.transforms.MelSpectrogram(
        sample_rate=rate, n_fft=1024, win_length=1024, hop_length=480, f_min=50, f_max=14000, n_mels=64,
        window_fn=torch.hann_window, power=2.0, center=True, pad_mode="reflect", norm="slaney",
        mel_scale="slaney").double()
    spec = mel(torch.from_numpy(segment).double())
    return 10 * torch.log10(torch.clamp(spec, min=1e-10))


def main():
    os.makedirs(OUT, exist_ok=True)
    wav_variants()
    resample_cases()
    fbank_cases()
    end_to_end_cases()
    clap_cases()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(MANIFEST, f, indent=1)


if __name__ == "__main__":
    main()
