using System.Buffers;

using FreeBind.Media;

namespace FreeBind.Imaging;

/// <summary>
/// Reads every strip or tile of the current TIFF page through libtiff and converts its rows into
/// an RGBA8888 image buffer.
/// </summary>
/// <remarks>
/// A block is a strip or a tile. With separated planes, the block for sample s is
/// <c>s * blocksPerPlane + b</c>, and its rows are interleaved into one row before conversion.
/// A block that libtiff fails to read (truncated or corrupt data) is counted and skipped.
/// </remarks>
internal sealed unsafe class TiffBlockReader
{
    private readonly IntPtr tiff;
    private readonly TiffPixelFormat format;
    private readonly int width;
    private readonly int height;
    private readonly bool tiled;
    private readonly int blockWidth;
    private readonly int blockHeight;
    private readonly long blockSize;
    private readonly long blockRowSize;
    private readonly int blocksPerPlane;

    public TiffBlockReader(IntPtr tiff, TiffPixelFormat format, int width, int height)
    {
        this.tiff = tiff;
        this.format = format;
        this.width = width;
        this.height = height;
        tiled = LibTiff.IsTiled(tiff) != 0;
        if (tiled)
        {
            LibTiff.GetField(tiff, LibTiff.TagTileWidth, out uint tileWidth);
            LibTiff.GetField(tiff, LibTiff.TagTileLength, out uint tileLength);
            blockWidth = (int)Math.Min(tileWidth, int.MaxValue);
            blockHeight = (int)Math.Min(tileLength, int.MaxValue);
            blockSize = LibTiff.TileSize(tiff);
            blockRowSize = LibTiff.TileRowSize(tiff);
            blocksPerPlane = blockWidth == 0 || blockHeight == 0
                ? 0
                : CeilingDivide(width, blockWidth) * CeilingDivide(height, blockHeight);
        }
        else
        {
            LibTiff.GetField(tiff, LibTiff.TagRowsPerStrip, out uint rowsPerStrip);
            blockWidth = width;
            blockHeight = (int)Math.Clamp(rowsPerStrip, 1, (uint)height);
            blockSize = LibTiff.StripSize(tiff);
            blockRowSize = LibTiff.ScanlineSize(tiff);
            blocksPerPlane = CeilingDivide(height, blockHeight);
        }

        // Sizes of 0 mean libtiff rejected the layout (it has reported why). A row must hold
        // the samples that the conversion reads.
        long neededRowSize = (((long)blockWidth * format.BitsPerSample * (format.PlanesSeparate ? 1 : format.SamplesPerPixel)) + 7) / 8;
        if (blocksPerPlane == 0 || blockRowSize < neededRowSize || blockSize < blockRowSize * blockHeight
            || blockSize > Array.MaxLength)
        {
            throw new MediaException(
                "decode",
                $"TIFF image {width}×{height} has an invalid {(tiled ? "tile" : "strip")} layout " +
                $"({blockWidth}×{blockHeight} pixels, {blockSize} bytes per block); re-encode the file as PNG");
        }
    }

    /// <summary>Converts every block into <paramref name="rgba"/> (width × height × 4 bytes).</summary>
    /// <returns>The number of blocks read and the number libtiff failed to read.</returns>
    public (int Read, int Failed) ReadAll(byte[] rgba)
    {
        int planes = format.PlanesSeparate ? format.SamplesPerPixel : 1;
        byte[][] buffers = new byte[planes][];
        byte[]? interleaved = planes > 1 ? ArrayPool<byte>.Shared.Rent(blockWidth * format.SamplesPerPixel * 2) : null;
        int read = 0;
        int failed = 0;
        try
        {
            for (int plane = 0; plane < planes; plane++)
            {
                buffers[plane] = ArrayPool<byte>.Shared.Rent((int)blockSize);
            }

            int across = tiled ? CeilingDivide(width, blockWidth) : 1;
            for (int block = 0; block < blocksPerPlane; block++)
            {
                int left = block % across * blockWidth;
                int top = block / across * blockHeight;
                int rows = ReadBlock(block, buffers, Math.Min(blockHeight, height - top));
                if (rows == 0)
                {
                    failed++;
                    continue;
                }

                read++;
                ConvertBlock(buffers, interleaved, left, top, rows, rgba);
            }
        }
        finally
        {
            foreach (byte[]? buffer in buffers)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (interleaved is not null)
            {
                ArrayPool<byte>.Shared.Return(interleaved);
            }
        }

        return (read, failed);
    }

    private static int CeilingDivide(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);

    // Returns the number of complete rows that every plane of the block supplied, 0 when a plane failed.
    private int ReadBlock(int block, byte[][] buffers, int rowsInImage)
    {
        int rows = rowsInImage;
        for (int plane = 0; plane < buffers.Length; plane++)
        {
            uint index = (uint)((plane * blocksPerPlane) + block);
            nint count;
            fixed (byte* buffer = buffers[plane])
            {
                count = tiled
                    ? LibTiff.ReadEncodedTile(tiff, index, buffer, (nint)blockSize)
                    : LibTiff.ReadEncodedStrip(tiff, index, buffer, (nint)blockSize);
            }

            if (count <= 0)
            {
                return 0;
            }

            rows = (int)Math.Min(rows, count / blockRowSize);
        }

        return rows;
    }

    private void ConvertBlock(byte[][] buffers, byte[]? interleaved, int left, int top, int rows, byte[] rgba)
    {
        int columns = Math.Min(blockWidth, width - left);
        for (int row = 0; row < rows; row++)
        {
            long start = row * blockRowSize;
            ReadOnlySpan<byte> samples = interleaved is null
                ? buffers[0].AsSpan((int)start, (int)blockRowSize)
                : Interleave(buffers, start, columns, interleaved);
            Span<byte> destination = rgba.AsSpan((((top + row) * width) + left) * 4, columns * 4);
            format.ConvertRow(samples, columns, destination);
        }
    }

    private ReadOnlySpan<byte> Interleave(byte[][] planes, long start, int columns, byte[] row)
    {
        int sampleBytes = format.BitsPerSample / 8;
        int pixelBytes = sampleBytes * planes.Length;
        for (int plane = 0; plane < planes.Length; plane++)
        {
            ReadOnlySpan<byte> source = planes[plane].AsSpan((int)start, columns * sampleBytes);
            for (int x = 0; x < columns; x++)
            {
                source.Slice(x * sampleBytes, sampleBytes).CopyTo(row.AsSpan((x * pixelBytes) + (plane * sampleBytes)));
            }
        }

        return row.AsSpan(0, columns * pixelBytes);
    }
}
