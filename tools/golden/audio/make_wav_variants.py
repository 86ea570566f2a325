#!/usr/bin/python3
"""Write the ADPCM, Sony Wave64 and RIFX fixtures for tests/FreeBind.Core.Tests/Audio.

Run from any folder, with sox and ffmpeg on PATH:

    /usr/bin/python3 tools/golden/audio/make_wav_variants.py

Needs only the Python standard library. The source signal is tone_pcm16_stereo.wav, which
make_golden.py writes. sox and ffmpeg encode it, and this script edits a few of their files
(odd block align, fewer declared samples per block, custom MS ADPCM coefficients, a cut final
block) or builds ADPCM blocks from seeded random bytes. sox decodes every fixture to the
golden, interleaved little-endian int16 (*.s16) or int32 (*.s32), except the float Wave64
file. Its golden is ffmpeg's float32 output (*.f32le), because sox 14.4.2 reads that
WAVE_FORMAT_EXTENSIBLE float file as 32-bit integers. The other tool decodes each fixture
too, and wav_variants.json records for every fixture whether it agrees with the golden, and on
how many samples it differs.
"""
import json
import os
import random
import re
import struct
import subprocess
import tempfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tests/FreeBind.Core.Tests/Fixtures/Audio")
SOURCE = os.path.join(OUT, "tone_pcm16_stereo.wav")

MS_STANDARD_COEFFICIENTS = [(256, 0), (512, -256), (0, 0), (192, 64), (240, 0), (460, -208), (392, -232)]


def run(*args):
    return subprocess.run(args, check=True, capture_output=True, text=True)


def tool_version(*args):
    return run(*args).stdout.splitlines()[0].strip()


def read_chunks(path):
    """Return the [id, body] chunks of a little-endian RIFF WAVE file."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"RIFF", path
    assert data[8:12] == b"WAVE", path
    chunks, offset = [], 12
    while offset + 8 <= len(data):
        chunk_id = data[offset:offset + 4]
        size = struct.unpack_from("<I", data, offset + 4)[0]
        chunks.append([chunk_id, bytearray(data[offset + 8:offset + 8 + size])])
        offset += 8 + size + (size & 1)
    return chunks


def write_riff(path, chunks):
    body = b"".join(
        chunk_id + struct.pack("<I", len(b)) + bytes(b) + (b"\0" if len(b) & 1 else b"")
        for chunk_id, b in chunks)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body)


def find(chunks, chunk_id):
    return next(c for c in chunks if c[0] == chunk_id)


def adpcm_fmt(tag, channels, rate, block_align, samples_per_block, coefficients=None):
    """Build a WAVEFORMATEX for IMA (tag 0x11) or MS ADPCM (tag 2) with its extension."""
    extension = struct.pack("<H", samples_per_block)
    if coefficients is not None:
        extension += struct.pack("<H", len(coefficients))
        extension += b"".join(struct.pack("<hh", c1, c2) for c1, c2 in coefficients)
    average = rate * block_align // samples_per_block
    return struct.pack("<HHIIHHH", tag, channels, rate, average, block_align, 4, len(extension)) + extension


def sox_encode(name, *effects_and_options):
    """Encode the source tone with sox. Options go before the output name, effects after it."""
    options, effects = effects_and_options[0], effects_and_options[1:]
    run("sox", "-D", SOURCE, *options, os.path.join(OUT, name), *effects)


def ffmpeg_encode(name, *options):
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", SOURCE, *options, os.path.join(OUT, name))


def ima_odd_block_align(name, source_name):
    """Cut every 256-byte block of a mono sox IMA file to 254 bytes.

    254 - 4 header bytes leave 62 whole 4-byte words and 2 spare bytes, which decoders skip.
    """
    chunks = read_chunks(os.path.join(OUT, source_name))
    fmt, data = find(chunks, b"fmt "), find(chunks, b"data")
    blocks = [data[1][i:i + 256] for i in range(0, len(data[1]), 256)]
    data[1] = bytearray(b"".join(block[:254] for block in blocks))
    struct.pack_into("<H", fmt[1], 12, 254)
    struct.pack_into("<H", fmt[1], 18, 1 + 62 * 8)
    write_riff(os.path.join(OUT, name), chunks)


def declare_samples_per_block(name, source_name, count):
    """Declare fewer samples per block than the blocks contain, so that decoders skip the rest."""
    chunks = read_chunks(os.path.join(OUT, source_name))
    struct.pack_into("<H", find(chunks, b"fmt ")[1], 18, count)
    write_riff(os.path.join(OUT, name), chunks)


def ms_custom_coefficients(name, source_name):
    """Replace two standard coefficient pairs and add an eighth pair that block 1 uses."""
    chunks = read_chunks(os.path.join(OUT, source_name))
    fmt, data = find(chunks, b"fmt "), find(chunks, b"data")
    channels, rate, _, block_align = struct.unpack_from("<HIIH", fmt[1], 2)
    samples_per_block = struct.unpack_from("<H", fmt[1], 18)[0]
    coefficients = list(MS_STANDARD_COEFFICIENTS)
    coefficients[1] = (490, -240)
    coefficients[5] = (430, -190)
    coefficients.append((300, -60))
    fmt[1] = bytearray(adpcm_fmt(2, channels, rate, block_align, samples_per_block, coefficients))
    for channel in range(channels):
        data[1][block_align + channel] = 7
    write_riff(os.path.join(OUT, name), chunks)


def truncate_data(name, source_name, keep):
    """Keep the first `keep` bytes of the data chunk and fix both chunk sizes."""
    chunks = read_chunks(os.path.join(OUT, source_name))
    data = find(chunks, b"data")
    data[1] = data[1][:keep]
    write_riff(os.path.join(OUT, name), chunks)


def ima_random(name, channels, rate, block_align, blocks, seed):
    """IMA blocks of random nibbles behind random headers, so that every nibble value, the
    step-index clamps at 0 and 88 and the int16 clamps all occur."""
    rng = random.Random(seed)
    body = bytearray()
    for _ in range(blocks):
        for _ in range(channels):
            sample = rng.choice([rng.randint(-32768, 32767), 32767, -32768, 0])
            body += struct.pack("<hBB", sample, rng.randint(0, 88), 0)
        body += bytes(rng.randint(0, 255) for _ in range(block_align - 4 * channels))
    samples_per_block = 1 + (block_align - 4 * channels) // (4 * channels) * 8
    chunks = [[b"fmt ", adpcm_fmt(0x11, channels, rate, block_align, samples_per_block)], [b"data", body]]
    write_riff(os.path.join(OUT, name), chunks)


def ms_random(name, channels, rate, block_align, blocks, seed):
    """MS ADPCM blocks behind random headers (every standard predictor, deltas from 16 to
    3000, samples up to full scale). Nibbles are mostly small, so that the delta does not grow
    without bound, and one in six is drawn from all 16 values."""
    rng = random.Random(seed)
    small = [0, 1, 2, 3, 13, 14, 15]

    def nibble():
        return rng.randint(0, 15) if rng.random() < 1 / 6 else rng.choice(small)

    body = bytearray()
    for _ in range(blocks):
        predictors = [rng.randint(0, 6) for _ in range(channels)]
        deltas = [rng.randint(16, 3000) for _ in range(channels)]
        first = [rng.choice([rng.randint(-32768, 32767), 32700, -32700]) for _ in range(channels)]
        second = [rng.randint(-32768, 32767) for _ in range(channels)]
        body += bytes(predictors)
        body += b"".join(struct.pack("<h", v) for v in deltas + first + second)
        body += bytes(nibble() << 4 | nibble() for _ in range(block_align - 7 * channels))
    samples_per_block = 2 + (block_align - 7 * channels) * 2 // channels
    fmt = adpcm_fmt(2, channels, rate, block_align, samples_per_block, MS_STANDARD_COEFFICIENTS)
    write_riff(os.path.join(OUT, name), [[b"fmt ", fmt], [b"data", body]])


def decode_sox(path, kind):
    encoding = ["-e", "floating-point", "-b", "32"] if kind == "f32le" else ["-e", "signed", "-b", kind[1:]]
    with tempfile.NamedTemporaryFile(suffix=".raw") as raw:
        run("sox", "-D", path, "-t", "raw", *encoding, "-L", raw.name)
        return raw.read()


def decode_ffmpeg(path, kind):
    codec = {"s16": "pcm_s16le", "s32": "pcm_s32le", "f32le": "pcm_f32le"}[kind]
    container = {"s16": "s16le", "s32": "s32le", "f32le": "f32le"}[kind]
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-c:a", codec, "-f", container, "-"],
        capture_output=True)
    # Drop this machine's folders and ffmpeg's object addresses, so that reruns write the same manifest.
    error = result.stderr.decode(errors="replace").replace(path, os.path.basename(path))
    error = re.sub(r" @ 0x[0-9a-f]+", "", error).strip().splitlines()
    return result.stdout, (error[0] if error else None)


def compare(golden, other, kind):
    """Describe how another decoder's output differs from the golden, sample by sample."""
    fmt = {"s16": "h", "s32": "i", "f32le": "f"}[kind]
    width = struct.calcsize(fmt)
    a = struct.unpack(f"<{len(golden) // width}{fmt}", golden)
    b = struct.unpack(f"<{len(other) // width}{fmt}", other)
    if len(a) != len(b):
        return {"agrees": False, "samples": len(b)}
    differing = [abs(x - y) for x, y in zip(a, b) if x != y]
    return {"agrees": not differing, "differingSamples": len(differing),
            "maxAbsDifference": max(differing, default=0)}


# Each fixture: file name, how it is made, golden kind, golden tool, channels.
FIXTURES = [
    ("adpcm_ima_mono_sox.wav", lambda n: sox_encode(n, ["-e", "ima-adpcm"], "remix", "1"), "s16", "sox", 1),
    ("adpcm_ima_stereo_sox.wav", lambda n: sox_encode(n, ["-e", "ima-adpcm"]), "s16", "sox", 2),
    ("adpcm_ima_stereo_ffmpeg.wav", lambda n: ffmpeg_encode(n, "-c:a", "adpcm_ima_wav", "-block_size", "512"),
     "s16", "sox", 2),
    ("adpcm_ima_block254_mono.wav", lambda n: ima_odd_block_align(n, "adpcm_ima_mono_sox.wav"), "s16", "sox", 1),
    # The 256-byte blocks contain 505 samples, but the fmt chunk declares 497.
    ("adpcm_ima_spb497_mono.wav", lambda n: declare_samples_per_block(n, "adpcm_ima_mono_sox.wav", 497),
     "s16", "sox", 1),
    # Four whole 512-byte blocks, then the 8-byte header and 3.5 of the 8-byte word pairs.
    ("adpcm_ima_cut_stereo.wav", lambda n: truncate_data(n, "adpcm_ima_stereo_sox.wav", 4 * 512 + 8 + 28),
     "s16", "sox", 2),
    ("adpcm_ima_random_stereo.wav", lambda n: ima_random(n, 2, 16000, 72, 40, seed=11), "s16", "sox", 2),
    ("adpcm_ima_random_mono.wav", lambda n: ima_random(n, 1, 8000, 36, 40, seed=12), "s16", "sox", 1),
    ("adpcm_ms_mono_sox.wav", lambda n: sox_encode(n, ["-e", "ms-adpcm"], "remix", "1"), "s16", "sox", 1),
    ("adpcm_ms_stereo_sox.wav", lambda n: sox_encode(n, ["-e", "ms-adpcm"]), "s16", "sox", 2),
    ("adpcm_ms_stereo_ffmpeg.wav", lambda n: ffmpeg_encode(n, "-c:a", "adpcm_ms", "-block_size", "512"),
     "s16", "sox", 2),
    ("adpcm_ms_custom_coefficients.wav", lambda n: ms_custom_coefficients(n, "adpcm_ms_stereo_sox.wav"),
     "s16", "sox", 2),
    # Two whole 512-byte blocks, then the 7-byte header and 42 nibbles.
    ("adpcm_ms_cut_mono.wav", lambda n: truncate_data(n, "adpcm_ms_mono_sox.wav", 2 * 512 + 7 + 21),
     "s16", "sox", 1),
    ("adpcm_ms_random_stereo.wav", lambda n: ms_random(n, 2, 16000, 64, 40, seed=21), "s16", "sox", 2),
    ("w64_pcm16_stereo_sox.w64", lambda n: sox_encode(n, ["-t", "w64"]), "s16", "sox", 2),
    ("w64_ima_adpcm_stereo_sox.w64", lambda n: sox_encode(n, ["-t", "w64", "-e", "ima-adpcm"]), "s16", "sox", 2),
    ("w64_float32_stereo_ffmpeg.w64", lambda n: ffmpeg_encode(n, "-c:a", "pcm_f32le", "-f", "w64"),
     "f32le", "ffmpeg", 2),
    ("rifx_pcm16_stereo_sox.wav", lambda n: sox_encode(n, ["-B"]), "s16", "sox", 2),
    ("rifx_pcm24_stereo_sox.wav", lambda n: sox_encode(n, ["-B", "-b", "24"]), "s32", "sox", 2),
    ("rifx_pcm32_stereo_sox.wav", lambda n: sox_encode(n, ["-B", "-b", "32"]), "s32", "sox", 2),
]


def main():
    manifest = {
        "sox": tool_version("sox", "--version"),
        "ffmpeg": tool_version("ffmpeg", "-version"),
        "fixtures": {},
    }
    for name, make, kind, golden_tool, channels in FIXTURES:
        make(name)
        path = os.path.join(OUT, name)
        golden = decode_sox(path, kind) if golden_tool == "sox" else decode_ffmpeg(path, kind)[0]
        stem = os.path.splitext(name)[0]
        with open(os.path.join(OUT, f"{stem}.{kind}"), "wb") as f:
            f.write(golden)
        if golden_tool == "sox":
            other_tool = "ffmpeg"
            other, error = decode_ffmpeg(path, kind)
        else:
            other_tool = "sox"
            other, error = decode_sox(path, kind), None
        check = compare(golden, other, kind)
        if error:
            check["error"] = error
        width = 2 if kind == "s16" else 4
        manifest["fixtures"][name] = {
            "golden": f"{stem}.{kind}",
            "goldenTool": golden_tool,
            "channels": channels,
            "frames": len(golden) // width // channels,
            other_tool: check,
        }
    with open(os.path.join(OUT, "wav_variants.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
