#!/bin/sh
# Makes the image fixtures under tests/FreeBind.Core.Tests/Fixtures/Imaging from ImageMagick's
# built-in images, then writes golden pixels with Pillow (golden.py). Run from the repository
# root on Debian 12 with imagemagick (6.9.11), python3-pil (9.4) and python3-numpy installed:
#   sh tools/golden/imaging/make_fixtures.sh
set -eu
out=tests/FreeBind.Core.Tests/Fixtures/Imaging
im=/usr/bin/convert
mkdir -p "$out"

# Landscape 240x180 photo-like crop of the wizard, and 640x480 logo for the full-size check.
$im wizard: -crop 240x180+120+150 +repage -quality 90 "$out/photo.jpg"
$im logo: -quality 85 "$out/logo640x480.jpg"
$im "$out/photo.jpg" -interlace Plane -quality 90 "$out/progressive.jpg"
$im "$out/photo.jpg" -colorspace CMYK -quality 90 "$out/cmyk.jpg"

# Small PNGs: 70x46 rose (upscaled by the tests), 67x64 granite (odd crop offset 0.5).
$im rose: "$out/rose.png"
$im granite: -crop 67x64+0+0 +repage "$out/odd67x64.png"
$im rose: PNG8:"$out/palette.png"
$im rose: -colorspace Gray -depth 8 "$out/gray.png"
$im -size 40x30 gradient:red-blue -depth 16 PNG48:"$out/rgb16.png"
$im -size 40x30 gradient:white-black -colorspace Gray -depth 16 "$out/gray16.png"

# Other formats Skia decodes.
$im rose: "$out/rose.gif"
$im rose: BMP3:"$out/rose.bmp"
$im rose: -define webp:lossless=true "$out/rose.webp"

/usr/bin/python3 tools/golden/imaging/golden.py "$out"
