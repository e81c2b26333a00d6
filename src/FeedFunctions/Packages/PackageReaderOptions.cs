namespace FeedFunctions.Packages;

/// <summary>Resource limits applied while reading an untrusted package.</summary>
public sealed record PackageReaderOptions
{
    /// <summary>nuget.org's limit; also the largest count a non-Zip64 archive can declare without ambiguity.</summary>
    public const int DefaultMaxEntries = 65534;

    public const int DefaultMaxNuspecBytes = 1024 * 1024;

    /// <summary>nuget.org's limit on an embedded readme; the feed stores it as a blob of its own and serves it per request.</summary>
    public const int DefaultMaxReadmeBytes = 1024 * 1024;

    /// <summary>nuget.org's limit on an embedded icon (pack fails above it with NU5047).</summary>
    public const int DefaultMaxIconBytes = 1024 * 1024;

    public static PackageReaderOptions Default { get; } = new();

    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>Limit on the DECOMPRESSED size of the .nuspec; declared sizes in the zip are not trusted.</summary>
    public int MaxNuspecBytes { get; init; } = DefaultMaxNuspecBytes;

    /// <summary>Limit on the DECOMPRESSED size of the readme the nuspec names.</summary>
    public int MaxReadmeBytes { get; init; } = DefaultMaxReadmeBytes;

    /// <summary>Limit on the DECOMPRESSED size of the icon the nuspec names.</summary>
    public int MaxIconBytes { get; init; } = DefaultMaxIconBytes;
}
