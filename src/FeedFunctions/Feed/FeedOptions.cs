namespace FeedFunctions.Feed;

/// <summary>The <c>Feed:*</c> settings (environment variables <c>Feed__*</c>).</summary>
public sealed class FeedOptions
{
    public const string SectionName = "Feed";

    /// <summary>nuget.org's limit; the Functions host needs FUNCTIONS_REQUEST_BODY_SIZE_LIMIT raised to match.</summary>
    public const long DefaultMaxPackageSizeBytes = 250L * 1024 * 1024;

    /// <summary>One full-access key for simple set-ups and local runs. Never logged.</summary>
    public string? ApiKey { get; set; }

    public long MaxPackageSizeBytes { get; set; } = DefaultMaxPackageSizeBytes;

    public OverwritePolicy AllowOverwrite { get; set; } = OverwritePolicy.False;

    public DeleteMode DeleteMode { get; set; } = DeleteMode.Unlist;

    /// <summary>When true the write routes answer 403 (they stay mapped so clients get a clear reason).</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Absolute base URL for links in V3 documents; when empty, built from the request (X-Forwarded-*).</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Makes every read route demand an API key with the read scope (Basic password or X-NuGet-ApiKey).</summary>
    public bool RequireReadAuth { get; set; }

    /// <summary>
    /// Cache-Control for a stored file (.nupkg, .nuspec, readme, icon): a private feed's files must not land in
    /// shared caches (a CDN, a proxy) that would serve them without a key.
    /// </summary>
    public string FileCacheControl(int maxAgeSeconds) => $"{(RequireReadAuth ? "private" : "public")}, max-age={maxAgeSeconds}";

    /// <summary>Where uploads are spooled while they are hashed and validated; defaults to the system temp folder.</summary>
    public string? TempPath { get; set; }

    public FeedStorageOptions Storage { get; set; } = new();
}
