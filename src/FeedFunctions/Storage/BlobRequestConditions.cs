namespace FeedFunctions.Storage;

/// <summary>Optimistic-concurrency conditions for blob writes and reads. ETags are in header form (quoted).</summary>
public sealed class BlobRequestConditions
{
    /// <summary>Create-only: the write fails with 409 BlobAlreadyExists when the blob exists.</summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = "*" };

    public string? IfMatch { get; init; }

    public string? IfNoneMatch { get; init; }

    internal void Apply(Azure.Core.Request request)
    {
        if (IfMatch is not null)
        {
            request.Headers.SetValue("If-Match", IfMatch);
        }

        if (IfNoneMatch is not null)
        {
            request.Headers.SetValue("If-None-Match", IfNoneMatch);
        }
    }
}
