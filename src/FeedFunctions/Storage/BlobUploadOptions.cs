namespace FeedFunctions.Storage;

public sealed class BlobUploadOptions
{
    public const int DefaultSingleUploadThreshold = 32 * 1024 * 1024;

    public const int DefaultBlockSize = 8 * 1024 * 1024;

    public BlobRequestConditions? Conditions { get; init; }

    public string? ContentType { get; init; }

    /// <summary>
    /// MD5 of the whole content when the caller already has it (e.g. computed while spooling an upload).
    /// Sent as Content-MD5 on a single Put Blob so the service verifies it; stored as the blob's MD5 otherwise.
    /// </summary>
    public byte[]? ContentHash { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Seekable content up to this size goes in one Put Blob; anything else is staged in blocks.</summary>
    public long SingleUploadThreshold { get; init; } = DefaultSingleUploadThreshold;

    /// <summary>Bounds the memory an upload of unknown length holds: one block at a time.</summary>
    public int BlockSize { get; init; } = DefaultBlockSize;
}
