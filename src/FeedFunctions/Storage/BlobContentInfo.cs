namespace FeedFunctions.Storage;

public sealed record BlobContentInfo(string ETag, DateTimeOffset? LastModified, long ContentLength, byte[]? ContentHash);
