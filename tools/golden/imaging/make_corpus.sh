#!/bin/sh
# Makes the sample images under samples/corpus from ImageMagick's built-in images and patterns.
# Captions (<stem>.txt) and LICENSE.md are written by hand. Run from the repository root on
# Debian 12 with imagemagick 6.9.11 (/usr/bin/convert) and python3-pil:
#   sh tools/golden/imaging/make_corpus.sh
set -eu
out=samples/corpus
im=/usr/bin/convert
mkdir -p "$out"

$im rose: -resize 600% -quality 90 "$out/rose.jpg"
$im logo: -quality 88 "$out/logo.jpg"
$im wizard: -resize 360x480 -quality 88 "$out/wizard.jpg"
$im -size 384x384 tile:granite: -quality 88 "$out/granite.jpg"
$im netscape: -sample 200% "$out/netscape.png"
$im -seed 1 -size 640x480 plasma: -quality 88 "$out/plasma.jpg"
$im -seed 2 -size 480x480 plasma:fractal -quality 88 "$out/plasma-fractal.jpg"
$im -seed 3 -size 512x384 plasma:green-yellow -blur 0x2 -quality 88 "$out/plasma-meadow.jpg"
$im -size 480x320 gradient:skyblue-navy "$out/gradient-sky.png"
$im -size 400x400 radial-gradient:yellow-darkred -depth 8 "$out/radial-sun.png"
$im -size 400x400 pattern:checkerboard "$out/checkerboard.png"
$im -size 480x320 pattern:bricks -fill firebrick -opaque black "$out/bricks.png"

# The wizard stored sideways with EXIF orientation 6, so it displays upright only when
# the reader applies the orientation tag.
/usr/bin/python3 - "$out" <<'PY'
import sys
from PIL import Image
out = sys.argv[1]
wizard = Image.open(f"{out}/wizard.jpg").convert("RGB")
exif = Image.Exif()
exif[0x0112] = 6
wizard.transpose(Image.ROTATE_90).save(f"{out}/wizard-exif-rotated.jpg", quality=88, exif=exif.tobytes())
PY
