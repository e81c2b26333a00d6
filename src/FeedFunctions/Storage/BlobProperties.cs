namespace FeedFunctions.Storage;

public sealed record BlobProperties(
    long ContentLength,
    string? ContentType,
    string ETag,
    DateTimeOffset? LastModified,
    byte[]? ContentHash,
    IReadOnlyDictionary<string, string> Metadata);
