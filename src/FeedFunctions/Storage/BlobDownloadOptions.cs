namespace FeedFunctions.Storage;

public sealed class BlobDownloadOptions
{
    /// <summary>First byte to read; with <see cref="Length"/> null the read runs to the end.</summary>
    public long? Offset { get; init; }

    public long? Length { get; init; }

    public BlobRequestConditions? Conditions { get; init; }
}
