using BackOffice.Application.Common;

namespace BackOffice.Application.Documents;

/// <summary>
/// Reads through to another stream and throws <see cref="ImportFileRefused"/> (its refusal goes into the import report)
/// once more than <c>limit</c> bytes came through, so an oversize file is refused whole, not cut off.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new ImportFileRefused(new Refusal(RefusalCode.FileTooLarge, limit / 1024 / 1024));
        }
        return read;
    }
}

/// <summary>An import file that cannot be imported at all, and why (for the import report).</summary>
internal sealed class ImportFileRefused(Refusal refusal) : Exception($"The import file was refused: {refusal}.")
{
    public Refusal Refusal { get; } = refusal;
}
