namespace FeedFunctions.Publishing;

/// <summary>
/// Where an upload is kept while it streams in: memory up to a limit, then a temporary file (the bytes so far are
/// moved there once). <see cref="Detach"/> hands the content over to the caller; otherwise disposing deletes it.
/// </summary>
internal sealed class PackageSpool(int inMemoryLimit, int initialCapacity, Func<FileStream> createFile) : IAsyncDisposable
{
    private Stream _content = new MemoryStream(initialCapacity);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_content is MemoryStream memory && memory.Length + data.Length > inMemoryLimit)
        {
            var file = createFile();
            _content = file;
            memory.Position = 0;
            await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }

        if (_content is FileStream spoolFile)
        {
            // Synchronous on purpose: a write of one buffer lands in the page cache in microseconds, while an async
            // FileStream write on Linux is a hop through the thread pool (measured per 50 MB push: 119 ms vs 70 ms).
            spoolFile.Write(data.Span);
            return;
        }

        await _content.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Stream> DetachAsync(CancellationToken cancellationToken)
    {
        await _content.FlushAsync(cancellationToken).ConfigureAwait(false);
        var content = _content;
        _content = Stream.Null;
        return content;
    }

    public ValueTask DisposeAsync() => _content.DisposeAsync();
}
