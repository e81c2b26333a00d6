namespace FeedFunctions.Storage;

/// <summary>An open network stream over the blob's bytes plus its properties. Dispose it to free the connection.</summary>
public sealed class BlobDownloadStreamingResult(Stream content, BlobProperties properties, int status, string? contentRange)
    : IDisposable, IAsyncDisposable
{
    public Stream Content { get; } = content;

    public BlobProperties Properties { get; } = properties;

    /// <summary>200 for a whole read, 206 for a ranged one.</summary>
    public int Status { get; } = status;

    public string? ContentRange { get; } = contentRange;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
