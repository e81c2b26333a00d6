namespace FeedFunctions.Packages;

/// <summary>Resource limits applied while reading an untrusted package.</summary>
public sealed record PackageReaderOptions
{
    /// <summary>nuget.org's limit; also the largest count a non-Zip64 archive can declare without ambiguity.</summary>
    public const int DefaultMaxEntries = 65534;

    public const int DefaultMaxNuspecBytes = 1024 * 1024;

    public static PackageReaderOptions Default { get; } = new();

    public int MaxEntries { get; init; } = DefaultMaxEntries;

    /// <summary>Limit on the DECOMPRESSED size of the .nuspec; declared sizes in the zip are not trusted.</summary>
    public int MaxNuspecBytes { get; init; } = DefaultMaxNuspecBytes;
}
