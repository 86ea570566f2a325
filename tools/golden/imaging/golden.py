"""Write image fixtures that need Pillow, and golden pixels for the image preprocessing tests.

Reference pipeline, per case: Image.open(f), ImageOps.exif_transpose, convert("RGB"), then
torchvision's Resize(size) + CenterCrop(size) ("shortSide") or Resize((size, size)) ("exact").
torchvision is not installed here, so the two lines of its size and crop arithmetic
(torchvision 0.14, transforms/functional.py) are written out below. Golden values are the
uint8 RGB pixels after the crop, before scaling and normalisation, stored base64 in
golden.json together with the case's settings.

Usage: /usr/bin/python3 tools/golden/imaging/golden.py tests/FreeBind.Core.Tests/Fixtures/Imaging
Needs Debian 12's python3-pil (Pillow 9.4) and python3-numpy.
"""
import base64
import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "nearest": Image.NEAREST}


def resize_and_crop(img, size, resize, interpolation):
    w, h = img.size
    if resize == "exact":
        return img.resize((size, size), FILTERS[interpolation])
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(size * long / short)
    new_w, new_h = (size, new_long) if w <= h else (new_long, size)
    img = img.resize((new_w, new_h), FILTERS[interpolation])
    top = int(round((new_h - size) / 2.0))
    left = int(round((new_w - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def reference(path, size, resize, interpolation, transpose=True):
    with Image.open(path) as img:
        if transpose:
            img = ImageOps.exif_transpose(img)
        return resize_and_crop(img.convert("RGB"), size, resize, interpolation)


def window(arr, x, y, w, h):
    block = np.ascontiguousarray(arr[y:y + h, x:x + w, :3], dtype=np.uint8)
    return {"x": x, "y": y, "width": w, "height": h, "rgb": base64.b64encode(block.tobytes()).decode()}


def make_pil_fixtures(out):
    base = Image.open(out / "photo.jpg").convert("RGB").crop((60, 40, 108, 72))  # 48x32
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        base.save(out / f"orientation{orientation}.jpg", quality=92, exif=exif.tobytes())

    # PNG keeps EXIF in an eXIf chunk, which Pillow writes before IDAT. The second file moves
    # the chunk after IDAT, where Pillow 9.4 still reads it.
    exif = Image.Exif()
    exif[0x0112] = 6
    base.save(out / "orientation6.png", exif=exif.tobytes())
    base.save(out / "orientation6.webp", lossless=True, exif=exif.tobytes())
    exif[0x0112] = 8
    buffer = io.BytesIO()
    base.save(buffer, "PNG", exif=exif.tobytes())
    (out / "orientation8-exif-after-idat.png").write_bytes(move_exif_after_idat(buffer.getvalue()))

    rose = Image.open(out / "rose.png").convert("RGB")
    ramp = np.linspace(0, 255, rose.size[1]).astype(np.uint8)
    ramp[:4] = 0  # the top 4 rows are fully transparent
    alpha = Image.fromarray(np.repeat(ramp[:, None], rose.size[0], axis=1), "L")
    rgba = rose.copy()
    rgba.putalpha(alpha)
    rgba.save(out / "rgba.png")  # Pillow keeps the RGB under alpha 0 as it is
    gray_alpha = rose.convert("L")
    gray_alpha = Image.merge("LA", (gray_alpha, alpha))
    gray_alpha.save(out / "grayalpha.png")

    photo = (out / "photo.jpg").read_bytes()
    (out / "truncated.jpg").write_bytes(photo[: len(photo) * 6 // 10])
    (out / "header-only.jpg").write_bytes(photo[:300])
    png = (out / "rose.png").read_bytes()
    (out / "truncated.png").write_bytes(png[: len(png) * 6 // 10])
    (out / "header-only.png").write_bytes(png[:20])
    (out / "huge-header.png").write_bytes(huge_png(100_000, 100_000))

    # libpng, inside SkiaSharp, rejects a side above 1,000,000 pixels, and Pillow decodes these.
    (out / "wide-1000000.png").write_bytes(grey_png(1_000_000, 1))
    (out / "wide-1000001.png").write_bytes(grey_png(1_000_001, 1))
    (out / "tall-1000001.png").write_bytes(grey_png(1, 1_000_001))

    # One row of 16-bit samples on both sides of each high-byte step in each PNG colour type,
    # with opaque alpha where the type has alpha, for the 16-bit test.
    samples = [0x00FF, 0x0100, 0x017F, 0x0180, 0x7FFF, 0x8000, 0xFF7F, 0xFF80, 0xFFFF]
    for name, colour_type, channels in (("gray", 0, 1), ("rgb", 2, 3), ("grayalpha", 4, 1), ("rgba", 6, 3)):
        alpha = b"\xff\xff" if colour_type in (4, 6) else b""
        ihdr = struct.pack(">IIBBBBB", len(samples), 1, 16, colour_type, 0, 0, 0)
        row = b"\x00" + b"".join(struct.pack(">H", v) * channels + alpha for v in samples)
        (out / f"{name}16-steps.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(row)) + chunk(b"IEND", b""))

    # 16-bit greyscale with samples from 0 to 600, so that Pillow's clamp to 255 keeps a ramp.
    low = np.linspace(0, 600, 40 * 30).reshape(30, 40).astype(np.uint16)
    Image.fromarray(low, "I;16").save(out / "gray16-low.png")

    # Random samples from 0 to 599 in 37x29 pixels, each row written with filter types 0 to 4 in
    # turn, once plain and once interlaced (Adam7), for the decoder that reads these files itself.
    rng = np.random.default_rng(16)
    noisy = rng.integers(0, 600, size=(29, 37), dtype=np.uint16)
    (out / "gray16-filters.png").write_bytes(grey16_png(noisy, interlaced=False))
    (out / "gray16-adam7-filters.png").write_bytes(grey16_png(noisy, interlaced=True))

    # Two files cut 8 bytes into their first IDAT, before any pixel row, and an RGBA file cut at 60 %.
    rgba_png = (out / "rgba.png").read_bytes()
    for name, data in (("rgb", png), ("rgba", rgba_png)):
        (out / f"cut-before-rows-{name}.png").write_bytes(data[: data.index(b"IDAT") + 4 + 8])
    (out / "truncated-rgba.png").write_bytes(rgba_png[: len(rgba_png) * 6 // 10])

    # GIF pixels that Skia leaves transparent black: the transparent index, and a logical screen
    # larger than the first frame. Pillow gives them the palette colour of the transparent index
    # (index 0 without transparency).
    gif = rose.quantize(32)
    gif.save(out / "transparent-index.gif", transparency=5)
    for name, source in (("screen-larger.gif", {}), ("screen-larger-transparent.gif", {"transparency": 7})):
        buffer = io.BytesIO()
        gif.save(buffer, "GIF", **source)
        data = bytearray(buffer.getvalue())
        data[6:10] = struct.pack("<HH", rose.size[0] + 9, rose.size[1] + 7)
        (out / name).write_bytes(bytes(data))

    # 16-bit BMP files holding every 5-bit and 6-bit code, in the layouts Pillow reads.
    codes = range(64)
    (out / "bmp565-codes.bmp").write_bytes(
        bmp16([((i % 32) << 11) | (i << 5) | (31 - i % 32) for i in codes], struct.pack("<III", 0xF800, 0x7E0, 0x1F)))
    (out / "bmp555-codes.bmp").write_bytes(
        bmp16([((i % 32) << 10) | ((31 - i % 32) << 5) | (i % 32) for i in codes], b""))


def make_tiff_fixtures(out):
    """Write the TIFF fixtures that need Pillow, and the damaged and oversized TIFF files."""
    rose = Image.open(out / "rose.png").convert("RGB").crop((10, 8, 55, 38))  # 45x30
    ramp = np.linspace(0, 255, rose.size[1]).astype(np.uint8)
    ramp[:4] = 0  # the top 4 rows are fully transparent
    alpha = Image.fromarray(np.repeat(ramp[:, None], rose.size[0], axis=1), "L")
    rgba = rose.copy()
    rgba.putalpha(alpha)
    rgba.save(out / "tiff-rgba.tif", compression="tiff_lzw")  # ExtraSamples 2: unassociated alpha
    Image.merge("LA", (rose.convert("L"), alpha)).save(out / "tiff-gray-alpha.tif", compression="tiff_adobe_deflate")
    rose.convert("1").save(out / "tiff-bilevel-min-is-black.tif")

    # Associated alpha: premultiplied colour, ExtraSamples 1. Pillow divides the alpha out again.
    premultiplied = np.asarray(rgba).astype(np.uint16)
    premultiplied[..., :3] = premultiplied[..., :3] * premultiplied[..., 3:] // 255
    Image.fromarray(premultiplied.astype(np.uint8), "RGBA").save(out / "tiff-rgba-associated.tif", compression="tiff_lzw")
    subprocess.run(["tiffset", "-s", "338", "1", "1", str(out / "tiff-rgba-associated.tif")], check=True)

    # Uncompressed RGB in 6 strips of 5 rows, directory first, so a cut file still opens.
    strips, data_at = tiff_in_strips(np.asarray(rose), rows_per_strip=5)
    (out / "tiff-strips.tif").write_bytes(strips)
    (out / "tiff-truncated-strips.tif").write_bytes(strips[: len(strips) * 6 // 10])
    (out / "tiff-cut-before-rows.tif").write_bytes(strips[: data_at + 100])
    # tiffcp writes the directory after the pixels, so a cut file has no directory.
    lzw = (out / "tiff-rgb-lzw-predictor.tif").read_bytes()
    (out / "tiff-truncated-directory.tif").write_bytes(lzw[: len(lzw) * 6 // 10])
    (out / "tiff-header-only.tif").write_bytes(lzw[:8])
    (out / "tiff-huge-header.tif").write_bytes(tiff_header_only(100_000, 100_000))
    Image.fromarray(np.linspace(0, 1, 32, dtype=np.float32).reshape(4, 8), "F").save(out / "tiff-float.tif")

    # 16-bit greyscale with samples from 0 to 600, MinIsBlack and MinIsWhite. Pillow 9.4 reads
    # both as mode I;16 with the samples as stored, then clamps them to 255.
    low = np.linspace(0, 600, 40 * 30).reshape(30, 40).astype(np.uint16)
    Image.fromarray(low, "I;16").save(out / "tiff-gray16-low.tif")
    Image.fromarray(low, "I;16").save(out / "tiff-gray16-low-min-is-white.tif")
    subprocess.run(["tiffset", "-s", "262", "0", str(out / "tiff-gray16-low-min-is-white.tif")], check=True)


def tiff_entries(entries):
    """Return a little-endian IFD of (tag, type, count, value) entries with no next IFD."""
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        packed = struct.pack("<H", value) + b"\0\0" if kind == 3 and count == 1 else struct.pack("<I", value)
        ifd += struct.pack("<HHI", tag, kind, count) + packed
    return ifd + struct.pack("<I", 0)


def tiff_in_strips(rgb, rows_per_strip):
    """Return an uncompressed little-endian 8-bit RGB TIFF with its directory before the strips,
    and the offset of the first strip."""
    height, width, _ = rgb.shape
    row_bytes = width * 3
    strip_count = (height + rows_per_strip - 1) // rows_per_strip
    entry_count = 10
    bits_at = 8 + 2 + entry_count * 12 + 4
    offsets_at = bits_at + 6
    counts_at = offsets_at + 4 * strip_count
    data_at = counts_at + 4 * strip_count
    offsets = [data_at + strip * rows_per_strip * row_bytes for strip in range(strip_count)]
    counts = [min(rows_per_strip, height - strip * rows_per_strip) * row_bytes for strip in range(strip_count)]
    ifd = tiff_entries([
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 3, bits_at), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, strip_count, offsets_at), (277, 3, 1, 3), (278, 4, 1, rows_per_strip),
        (279, 4, strip_count, counts_at), (284, 3, 1, 1),
    ])
    head = b"II*\0" + struct.pack("<I", 8) + ifd + struct.pack("<HHH", 8, 8, 8)
    head += b"".join(struct.pack("<I", o) for o in offsets) + b"".join(struct.pack("<I", c) for c in counts)
    assert len(head) == data_at
    return head + np.ascontiguousarray(rgb, dtype=np.uint8).tobytes(), data_at


def tiff_header_only(width, height):
    """Return a TIFF whose directory claims width x height grey pixels in one 16-byte strip."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
               (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height), (279, 4, 1, 16)]
    ifd = tiff_entries(entries)
    data_at = 8 + len(ifd)
    entries = [(t, k, c, data_at if t == 273 else v) for t, k, c, v in entries]
    return b"II*\0" + struct.pack("<I", 8) + tiff_entries(entries) + b"\x80" * 16


def bmp16(pixels, masks):
    """Return a one-row 16-bit BMP: BI_BITFIELDS with the given masks, or BI_RGB (5-5-5) without."""
    row = b"".join(struct.pack("<H", p) for p in pixels)
    row += b"\0" * (-len(row) % 4)
    header = struct.pack("<IiiHHIIiiII", 40, len(pixels), 1, 1, 16, 3 if masks else 0, len(row), 2835, 2835, 0, 0)
    start = 14 + len(header) + len(masks)
    return b"BM" + struct.pack("<IHHI", start + len(row), 0, 0, start) + header + masks + row


def split_chunks(png):
    """Return the (type, data) pairs of a PNG file's chunks."""
    chunks, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset:offset + 4])
        chunks.append((png[offset + 4:offset + 8], png[offset + 8:offset + 8 + length]))
        offset += 12 + length
    return chunks


def move_exif_after_idat(png):
    """Return the PNG with its eXIf chunk moved to just before IEND."""
    chunks = split_chunks(png)
    exif = [c for c in chunks if c[0] == b"eXIf"]
    rest = [c for c in chunks if c[0] != b"eXIf"]
    assert len(exif) == 1
    assert rest[-1][0] == b"IEND"
    return png[:8] + b"".join(chunk(*c) for c in rest[:-1] + exif + rest[-1:])


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width, height):
    """Return a PNG whose IHDR claims width x height RGB pixels, followed by one short IDAT and IEND."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def grey16_png(samples, interlaced):
    """Return a 16-bit greyscale PNG of samples, each row filtered with type (row number mod 5)."""
    height, width = samples.shape
    passes = [samples[y::sy, x::sx] for x, y, sx, sy in ADAM7] if interlaced else [samples]
    raw = bytearray()
    row_number = 0
    for image in passes:
        previous = None
        for row in image:
            line = row.astype(">u2").tobytes()
            kind = row_number % 5
            raw += bytes([kind]) + filter_row(kind, line, previous)
            previous = line
            row_number += 1
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
            + chunk(b"IEND", b""))


def filter_row(kind, line, previous, bpp=2):
    """Apply PNG filter type kind (0 none, 1 sub, 2 up, 3 average, 4 Paeth) to one row of bytes."""
    up = previous or bytes(len(line))
    out = bytearray(len(line))
    for i, value in enumerate(line):
        left = line[i - bpp] if i >= bpp else 0
        upper_left = up[i - bpp] if i >= bpp else 0
        if kind == 0:
            predicted = 0
        elif kind == 1:
            predicted = left
        elif kind == 2:
            predicted = up[i]
        elif kind == 3:
            predicted = (left + up[i]) // 2
        else:
            estimate = left + up[i] - upper_left
            distances = (abs(estimate - left), abs(estimate - up[i]), abs(estimate - upper_left))
            predicted = (left, up[i], upper_left)[distances.index(min(distances))]
        out[i] = (value - predicted) & 0xFF
    return bytes(out)


def grey_png(width, height):
    """Return a complete 8-bit greyscale PNG of width x height pixels of value 128."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = (b"\x00" + b"\x80" * width) * height
    idat = zlib.compress(rows, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def case(out, name, file, size, resize="shortSide", interpolation="bicubic", windows=None, expected=None,
         transpose=True, grey16="clamp"):
    img = reference(out / file, size, resize, interpolation, transpose) if expected is None else expected
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    windows = windows or [(0, 0, size, size)]
    result = {
        "name": name, "file": file, "size": size, "resize": resize, "interpolation": interpolation,
        "windows": [window(arr, *w) for w in windows],
    }
    if grey16 != "clamp":
        result["grey16"] = grey16
    elif clamps_grey16(out / file):
        # The preprocessor counts a warning when a 16-bit grey sample turns white.
        result["grey16ClampWarning"] = True
    return result


def clamps_grey16(path):
    """Return whether Pillow clamps some sample of this file: 16-bit grey, no alpha, a sample above 255."""
    with Image.open(path) as img:
        return img.mode in ("I", "I;16", "I;16B") and int(np.asarray(img).max()) > 255


def gray16_high_byte(out, file, size):
    # Pillow 9.4 opens a 16-bit greyscale PNG as mode I (32-bit integers) and a 16-bit greyscale
    # TIFF as mode I;16. Then convert("RGB") clamps each sample to 0-255, so samples of 256 and
    # more turn white: the default cases compare with that. With grey16 set to highByte the
    # preprocessor keeps the high byte of each sample, so this reference does too, then resizes
    # as for an 8-bit image.
    with Image.open(out / file) as img:
        high = (np.asarray(img, dtype=np.uint16) >> 8).astype(np.uint8)
    return resize_and_crop(Image.fromarray(high, "L").convert("RGB"), size, "shortSide", "bicubic")


def main():
    out = Path(sys.argv[1])
    make_pil_fixtures(out)
    make_tiff_fixtures(out)

    cases = [
        case(out, "photo bicubic", "photo.jpg", 32),
        case(out, "photo bilinear", "photo.jpg", 32, interpolation="bilinear"),
        case(out, "photo nearest", "photo.jpg", 32, interpolation="nearest"),
        case(out, "photo bicubic exact", "photo.jpg", 40, resize="exact"),
        case(out, "photo bilinear exact", "photo.jpg", 24, resize="exact", interpolation="bilinear"),
        case(out, "photo bicubic 100", "photo.jpg", 100, windows=[(0, 0, 16, 16), (42, 42, 16, 16), (84, 84, 16, 16)]),
        case(out, "logo bicubic 224", "logo640x480.jpg", 224,
             windows=[(0, 0, 16, 16), (104, 104, 16, 16), (208, 208, 16, 16), (60, 150, 16, 16)]),
        case(out, "logo bilinear 224", "logo640x480.jpg", 224, interpolation="bilinear",
             windows=[(104, 104, 16, 16), (60, 150, 16, 16)]),
        case(out, "rose upscale bicubic", "rose.png", 64, windows=[(0, 0, 16, 16), (24, 24, 16, 16), (48, 48, 16, 16)]),
        case(out, "rose upscale bilinear", "rose.png", 64, interpolation="bilinear", windows=[(24, 24, 16, 16)]),
        case(out, "rose upscale nearest", "rose.png", 64, interpolation="nearest", windows=[(24, 24, 16, 16)]),
        case(out, "odd crop offset", "odd67x64.png", 32),
        case(out, "progressive", "progressive.jpg", 32),
        case(out, "cmyk", "cmyk.jpg", 32),
        case(out, "palette", "palette.png", 32),
        case(out, "gray", "gray.png", 32),
        case(out, "gray alpha", "grayalpha.png", 32),
        case(out, "rgba", "rgba.png", 32),
        case(out, "rgb16", "rgb16.png", 24),
        case(out, "gray16", "gray16.png", 24),
        case(out, "gray16 high byte", "gray16.png", 24, expected=gray16_high_byte(out, "gray16.png", 24),
             grey16="highByte"),
        case(out, "gray16 low", "gray16-low.png", 40, resize="exact", interpolation="nearest"),
        case(out, "gray16 filters", "gray16-filters.png", 37, resize="exact", interpolation="nearest"),
        case(out, "gray16 adam7 filters", "gray16-adam7-filters.png", 37, resize="exact", interpolation="nearest"),
        case(out, "gif", "rose.gif", 32),
        case(out, "bmp", "rose.bmp", 32),
        case(out, "webp lossless", "rose.webp", 32),
        case(out, "gif transparent index", "transparent-index.gif", 32),
        case(out, "gif screen larger", "screen-larger.gif", 32),
        case(out, "gif screen larger transparent", "screen-larger-transparent.gif", 32),
        case(out, "bmp 565 codes", "bmp565-codes.bmp", 64, resize="exact", interpolation="nearest"),
        case(out, "bmp 555 codes", "bmp555-codes.bmp", 64, resize="exact", interpolation="nearest"),
    ]
    for orientation in range(1, 9):
        cases.append(case(out, f"orientation {orientation}", f"orientation{orientation}.jpg", 24))
        cases.append(case(out, f"orientation {orientation} exact", f"orientation{orientation}.jpg", 20,
                          resize="exact", interpolation="bilinear"))
    cases.append(case(out, "png exif orientation 6", "orientation6.png", 24))
    cases.append(case(out, "png exif after idat 8", "orientation8-exif-after-idat.png", 24))
    cases.append(case(out, "webp exif orientation 6", "orientation6.webp", 24))

    tiff_cases = [
        # Nearest-neighbour upscaling to the long side compares every pixel of the file.
        case(out, f"tiff {name}", f"tiff-{name}.tif", 45, resize="exact", interpolation="nearest")
        for name in (
            "rgb", "rgb-lzw-predictor", "rgb-zip-big-endian", "rgb-packbits-strips", "rgb-tiles", "rgb-separate",
            "rgb-separate-tiles", "bigtiff", "strips", "jpeg-ycbcr", "jpeg-rgb", "gray", "gray-min-is-white",
            "gray4", "gray2", "bilevel-group4", "bilevel-min-is-black", "palette4", "palette8", "cmyk", "rgba",
            "rgba-associated", "gray-alpha", "multipage", "cmyk16", "rgba16", "gray-alpha-imagemagick",
            "gray4-fill-order-2", "bilevel-fill-order-2")
    ]
    tiff_cases.append(case(out, "tiff rgb bicubic", "tiff-rgb.tif", 20))
    tiff_cases.append(case(out, "tiff rgb16", "tiff-rgb16.tif", 40, resize="exact", interpolation="nearest"))
    tiff_cases.append(case(out, "tiff rgb16 big-endian", "tiff-rgb16-big-endian.tif", 40, resize="exact",
                           interpolation="nearest"))
    tiff_cases.append(case(out, "tiff gray16", "tiff-gray16.tif", 24))
    tiff_cases.append(case(out, "tiff gray16 high byte", "tiff-gray16.tif", 24,
                           expected=gray16_high_byte(out, "tiff-gray16.tif", 24), grey16="highByte"))
    tiff_cases.append(case(out, "tiff gray16 low", "tiff-gray16-low.tif", 40, resize="exact", interpolation="nearest"))
    tiff_cases.append(case(out, "tiff gray16 low min-is-white", "tiff-gray16-low-min-is-white.tif", 40,
                           resize="exact", interpolation="nearest"))
    # Pillow 9.4 turns a TIFF upright on load, and exif_transpose would turn it a second time
    # because the Orientation tag stays in getexif(). The preprocessor turns it once.
    for orientation in range(1, 9):
        tiff_cases.append(case(out, f"tiff orientation {orientation}", f"tiff-orientation{orientation}.tif", 24,
                               resize="exact", interpolation="nearest", transpose=False))

    # RGB under fully transparent pixels, as Pillow stores it: the tests check it survives.
    with Image.open(out / "rgba.png") as img:
        top_row = np.asarray(img)[0, :4].tolist()

    # One file per group keeps each golden file small.
    generator = "tools/golden/imaging/golden.py, Pillow " + Image.__version__ + ", numpy " + np.__version__
    groups = {"resize": cases[:12], "formats": cases[12:32], "orientation": cases[32:], "tiff": tiff_cases}
    for group, members in groups.items():
        golden = {"generator": generator, "cases": members}
        if group == "formats":
            golden["rgbaTopRow"] = top_row
        (out / f"golden-{group}.json").write_text(json.dumps(golden, indent=1) + "\n")


if __name__ == "__main__":
    main()
