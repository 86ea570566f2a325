namespace FreeBind.Storage;

/// <summary>
/// A read-only stream over a blob's download stream that turns a read which timed out or failed
/// on every try into a <see cref="BlobReadException"/>.
/// </summary>
/// <param name="inner">The storage client's stream, disposed with this one.</param>
/// <param name="translate">Returns the exception to throw for a read failure, or null to let the
/// original propagate.</param>
internal sealed class BlobReadStream(Stream inner, Func<Exception, CancellationToken, Exception?> translate) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return inner.Read(buffer, offset, count);
        }
        catch (Exception exception) when (translate(exception, CancellationToken.None) is { } failure)
        {
            throw failure;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (translate(exception, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("A blob read stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("A blob read stream is read-only.");

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
