using FeedFunctions.Packages;

namespace FeedFunctions.Tests.Packages;

public sealed class BoundedReaderTests
{
    [Fact]
    public async Task Stops_reading_an_endless_stream_one_byte_past_the_limit()
    {
        var endless = new EndlessStream();

        var result = await BoundedReader.ReadAsync(endless, 1024 * 1024, CancellationToken.None);

        Assert.Null(result);
        Assert.Equal(1024 * 1024 + 1, endless.BytesRead);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(100_000, 100_000)]
    public async Task Returns_content_up_to_and_including_the_limit(int length, int limit)
    {
        var content = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();

        var result = await BoundedReader.ReadAsync(new MemoryStream(content), limit, CancellationToken.None);

        Assert.Equal(content, result);
    }

    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)' ');
            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
