using System.Security.Cryptography;
using System.Threading.Channels;

namespace FeedFunctions.Publishing;

/// <summary>
/// SHA-512 of an upload computed on another thread while the receive loop goes on reading, spooling and staging:
/// hashing a large package on the receive loop cost more than reading it (measured per 50 MB push: ~190 ms waiting
/// for the body, ~370 ms hashing SHA-512 and MD5, which is no longer computed). The loop rents a buffer, fills it,
/// uses it, and hands it over; the hasher takes buffers in order and gives them back, so at most <c>depth</c>
/// buffers exist and the hash covers the bytes in sequence.
/// </summary>
internal sealed class PipelinedSha512 : IAsyncDisposable
{
    private readonly Channel<(byte[] Buffer, int Count)> _filled;
    private readonly Channel<byte[]> _free;
    private readonly Task<byte[]> _hashing;
    private readonly int _bufferSize;
    private readonly int _depth;
    private int _created;

    public PipelinedSha512(int bufferSize, int depth)
    {
        _bufferSize = bufferSize;
        _depth = depth;
        _filled = Channel.CreateBounded<(byte[], int)>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        _free = Channel.CreateUnbounded<byte[]>();
        _hashing = Task.Run(HashAsync);
    }

    public int BufferSize => _bufferSize;

    /// <summary>
    /// A buffer to read into; waits while every buffer is still being hashed. Buffers are made only when none is free,
    /// so a small push, hashed as fast as it arrives, uses one or two instead of all <c>depth</c>.
    /// </summary>
    public ValueTask<byte[]> RentAsync(CancellationToken cancellationToken)
    {
        if (_free.Reader.TryRead(out var free))
        {
            return ValueTask.FromResult(free);
        }

        // Only the receive loop rents, so the count needs no lock.
        if (_created < _depth)
        {
            _created++;
            return ValueTask.FromResult(new byte[_bufferSize]);
        }

        return _free.Reader.ReadAsync(cancellationToken);
    }

    /// <summary>Hands the first <paramref name="count"/> bytes of a rented buffer to the hasher (the buffer with them).</summary>
    public ValueTask AppendAsync(byte[] buffer, int count, CancellationToken cancellationToken)
    {
        return _filled.Writer.WriteAsync((buffer, count), cancellationToken);
    }

    /// <summary>Gives back a rented buffer that holds nothing to hash.</summary>
    public void Return(byte[] buffer)
    {
        _free.Writer.TryWrite(buffer);
    }

    /// <summary>The hash of everything appended; call once, after the last append.</summary>
    public Task<byte[]> CompleteAsync()
    {
        _filled.Writer.TryComplete();
        return _hashing;
    }

    public async ValueTask DisposeAsync()
    {
        _filled.Writer.TryComplete();
        try
        {
            await _hashing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<byte[]> HashAsync()
    {
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        await foreach (var (buffer, count) in _filled.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            sha512.AppendData(buffer, 0, count);
            _free.Writer.TryWrite(buffer);
        }

        return sha512.GetHashAndReset();
    }
}
