using System.Buffers;
using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace FreeBind.Storage;

/// <summary>
/// A write-only stream that stages what is written as blocks of a block blob. Nothing becomes
/// visible until the caller commits the ids that <see cref="CompleteAsync"/> returns; blocks never
/// committed are discarded by the service.
/// </summary>
/// <remarks>
/// Up to <see cref="MaxBlocksInFlight"/> blocks are uploaded while the writer fills the next
/// one. The stream owns its pooled buffers and returns them when each upload ends.
/// </remarks>
internal sealed class BlockStagingStream : Stream
{
    /// <summary>Maximum number of blocks uploaded at the same time.</summary>
    public const int MaxBlocksInFlight = 4;

    private readonly BlockBlobClient blob;
    private readonly int blockSize;
    private readonly CancellationToken cancellationToken;
    private readonly string blockIdPrefix = Guid.NewGuid().ToString("N");
    private readonly List<string> blockIds = [];
    private readonly Queue<Task> inFlight = new();
    private byte[]? buffer;
    private int bufferLength;
    private long position;

    public BlockStagingStream(BlockBlobClient blob, int blockSize, CancellationToken cancellationToken)
    {
        this.blob = blob;
        this.blockSize = blockSize;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Block ids staged so far, in order.</summary>
    public IReadOnlyList<string> BlockIds => blockIds;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => position;

    /// <summary>The number of bytes written so far; setting it is not supported.</summary>
    public override long Position
    {
        get => position;
        set => throw new NotSupportedException("A blob upload stream only appends; it cannot seek.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> source)
    {
        while (source.Length > 0)
        {
            var copied = CopyToBuffer(source);
            source = source[copied..];
            if (bufferLength == blockSize)
            {
                // NOTE: synchronous writers block here on the oldest upload when four are in flight.
                StageBufferAsync().GetAwaiter().GetResult();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        while (source.Length > 0)
        {
            var copied = CopyToBuffer(source.Span);
            source = source[copied..];
            if (bufferLength == blockSize)
            {
                await StageBufferAsync().ConfigureAwait(false);
            }
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stages the last partial block and waits for every upload to finish.</summary>
    public async Task<IReadOnlyList<string>> CompleteAsync()
    {
        if (bufferLength > 0)
        {
            await StageBufferAsync().ConfigureAwait(false);
        }

        while (inFlight.Count > 0)
        {
            await inFlight.Dequeue().ConfigureAwait(false);
        }

        return blockIds;
    }

    /// <summary>Waits for uploads still running after a failed write, ignoring their errors.</summary>
    public async Task AbandonAsync()
    {
        while (inFlight.Count > 0)
        {
            try
            {
                await inFlight.Dequeue().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The write already failed with its own error; the uncommitted block is discarded.
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob upload stream only appends; it cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReturnBuffer();
        }

        base.Dispose(disposing);
    }

    private int CopyToBuffer(ReadOnlySpan<byte> source)
    {
        buffer ??= ArrayPool<byte>.Shared.Rent(blockSize);
        var count = Math.Min(source.Length, blockSize - bufferLength);
        source[..count].CopyTo(buffer.AsSpan(bufferLength));
        bufferLength += count;
        position += count;
        return count;
    }

    private async Task StageBufferAsync()
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (inFlight.Count >= MaxBlocksInFlight)
        {
            await inFlight.Dequeue().ConfigureAwait(false);
        }

        // Block ids must all have the same length within a blob. A per-write prefix keeps
        // concurrent writers of the same blob from overwriting each other's uncommitted blocks.
        var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{blockIdPrefix}-{blockIds.Count:D6}"));
        blockIds.Add(blockId);

        var block = buffer!;
        var length = bufferLength;
        buffer = null;
        bufferLength = 0;
        inFlight.Enqueue(UploadAsync(blockId, block, length));
    }

    private async Task UploadAsync(string blockId, byte[] block, int length)
    {
        try
        {
            using var content = new MemoryStream(block, 0, length, writable: false);
            await blob.StageBlockAsync(blockId, content, options: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private void ReturnBuffer()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}
