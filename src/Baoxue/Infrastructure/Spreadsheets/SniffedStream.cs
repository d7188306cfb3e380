namespace Baoxue.Infrastructure.Spreadsheets;

/// <summary>
/// Replays the bytes already read for format sniffing, then continues with the source, and enforces
/// the size limit on streams whose length is not known up front. Never disposes the source.
/// </summary>
internal sealed class SniffedStream(byte[] prefix, int prefixLength, Stream source, long maxBytes) : Stream
{
    private int _prefixPosition;
    private long _total = prefixLength;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < prefixLength)
        {
            var n = Math.Min(buffer.Length, prefixLength - _prefixPosition);
            prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        var read = source.Read(buffer);
        _total += read;
        if (_total > maxBytes)
        {
            throw SpreadsheetFormatException.TooLarge(maxBytes);
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
