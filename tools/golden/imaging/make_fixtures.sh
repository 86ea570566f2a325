#!/bin/sh
# Makes the image fixtures under tests/FreeBind.Core.Tests/Fixtures/Imaging from ImageMagick's
# built-in images, then writes golden pixels with Pillow (golden.py). Run from the repository
# root on Debian 12 with imagemagick (6.9.11), libtiff-tools (4.5), python3-pil (9.4) and
# python3-numpy installed:
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

# TIFF, decoded through libtiff: a 45x30 crop of the rose, so strips and 16x16 tiles end short.
# Needs libtiff-tools (4.5) for tiffcp and tiffset. golden.py adds the files that need Pillow.
crop="rose: -crop 45x30+10+8 +repage"
$im $crop -compress none "$out/tiff-rgb.tif"
tiffcp -c lzw:2 "$out/tiff-rgb.tif" "$out/tiff-rgb-lzw-predictor.tif"
tiffcp -B -c zip:2 "$out/tiff-rgb.tif" "$out/tiff-rgb-zip-big-endian.tif"
tiffcp -c packbits -r 7 "$out/tiff-rgb.tif" "$out/tiff-rgb-packbits-strips.tif"
tiffcp -c lzw -t -w 16 -l 16 "$out/tiff-rgb.tif" "$out/tiff-rgb-tiles.tif"
tiffcp -c zip -p separate "$out/tiff-rgb.tif" "$out/tiff-rgb-separate.tif"
tiffcp -c zip -p separate -t -w 16 -l 16 "$out/tiff-rgb.tif" "$out/tiff-rgb-separate-tiles.tif"
tiffcp -8 -c lzw "$out/tiff-rgb.tif" "$out/tiff-bigtiff.tif"
tiffcp -c jpeg:90 -r 16 "$out/tiff-rgb.tif" "$out/tiff-jpeg-ycbcr.tif"
$im $crop -compress jpeg -quality 90 "$out/tiff-jpeg-rgb.tif"
$im $crop -colorspace Gray -depth 8 -compress zip "$out/tiff-gray.tif"
$im $crop -colorspace Gray -depth 8 -define quantum:polarity=min-is-white -compress none "$out/tiff-gray-min-is-white.tif"
$im $crop -colorspace Gray -depth 4 -compress none "$out/tiff-gray4.tif"
$im $crop -colorspace Gray -depth 2 -compress none "$out/tiff-gray2.tif"
$im $crop -monochrome -compress group4 "$out/tiff-bilevel-group4.tif"
$im $crop -colors 16 -type Palette -compress none "$out/tiff-palette4.tif"
$im $crop -colors 200 -type Palette -compress lzw "$out/tiff-palette8.tif"
$im $crop -colorspace CMYK -depth 8 -compress lzw "$out/tiff-cmyk.tif"
$im $crop -colorspace CMYK -depth 16 -compress zip "$out/tiff-cmyk16.tif"
$im $crop -alpha set -channel A -fx "j/h" +channel -depth 16 -compress zip "$out/tiff-rgba16.tif"
$im $crop -colorspace Gray -alpha set -channel A -fx "j/h" +channel -depth 8 -compress zip "$out/tiff-gray-alpha-imagemagick.tif"
tiffcp -f lsb2msb "$out/tiff-gray4.tif" "$out/tiff-gray4-fill-order-2.tif"
tiffcp -f lsb2msb -c none "$out/tiff-bilevel-group4.tif" "$out/tiff-bilevel-fill-order-2.tif"
$im -size 40x30 gradient:white-black -colorspace Gray -depth 16 -compress zip "$out/tiff-gray16.tif"
$im -size 40x30 gradient:red-blue -depth 16 -compress zip "$out/tiff-rgb16.tif"
tiffcp -B -c none "$out/tiff-rgb16.tif" "$out/tiff-rgb16-big-endian.tif"
$im rose: -crop 45x30+20+10 +repage -compress lzw "$out/tiff-page2.tif"
tiffcp "$out/tiff-rgb-lzw-predictor.tif" "$out/tiff-page2.tif" "$out/tiff-multipage.tif"
rm "$out/tiff-page2.tif"
$im rose: -crop 24x16+20+10 +repage -compress lzw "$out/tiff-orientation1.tif"
for orientation in 2 3 4 5 6 7 8; do
    cp "$out/tiff-orientation1.tif" "$out/tiff-orientation$orientation.tif"
    tiffset -s 274 "$orientation" "$out/tiff-orientation$orientation.tif"
done

/usr/bin/python3 tools/golden/imaging/golden.py "$out"
