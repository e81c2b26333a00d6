namespace FeedFunctions.Packages;

/// <summary>
/// One package version's row: the commit point of a push. Partition = lowercase id, row = lowercase normalized
/// version. <see cref="BlobName"/> names the content-addressed .nupkg, so a row never points at other bytes.
/// </summary>
public sealed record PackageRecord
{
    public required string Id { get; init; }

    /// <summary>Normalized version (original case of the release label).</summary>
    public required string Version { get; init; }

    public required string FullVersion { get; init; }

    public required bool Listed { get; init; }

    public required DateTimeOffset Published { get; init; }

    public required long Size { get; init; }

    /// <summary>SHA-512 of the .nupkg, base64 (NuGet's packageHash format).</summary>
    public required string Sha512 { get; init; }

    public required string BlobName { get; init; }

    /// <summary>
    /// The .nuspec's own blob: only rows pushed before the .nuspec was read out of the package name one (see
    /// <see cref="PackageStore.ReadNuspecAsync"/>); null for every newer row.
    /// </summary>
    public string? NuspecBlobName { get; init; }

    /// <summary>The embedded readme's blob (in the same upload folder); null when the package has none, or predates them.</summary>
    public string? ReadmeBlobName { get; init; }

    /// <summary>The embedded icon's blob; null when the package has none the feed serves, or predates them.</summary>
    public string? IconBlobName { get; init; }

    /// <summary>The icon's image type, recognized from its bytes at push time.</summary>
    public string? IconContentType { get; init; }

    public required bool IsPrerelease { get; init; }

    public required bool IsSemVer2 { get; init; }

    public string? PushedBy { get; init; }

    /// <summary>Hash of the pushing client's X-NuGet-Session-Id: a retry of the same push carries the same one.</summary>
    public string? PushSession { get; init; }

    /// <summary>Registration catalog entry (metadata, dependency groups) as JSON, computed once at push time.</summary>
    public required string CatalogJson { get; init; }

    public string? Description { get; init; }

    public string? Tags { get; init; }

    public string? Authors { get; init; }

    public string? Title { get; init; }

    /// <summary>The version's deprecation as the JSON served in catalogEntry.deprecation; null when not deprecated.</summary>
    public string? Deprecation { get; init; }

    public Azure.ETag? ETag { get; init; }

    public string LowerId => Id.ToLowerInvariant();

    public string LowerVersion => Version.ToLowerInvariant();

    /// <summary>Every blob this row owns: deleted with it, and by a push that lost or was refused.</summary>
    public IEnumerable<string> BlobNames =>
        new[] { BlobName, NuspecBlobName, ReadmeBlobName, IconBlobName }.Where(name => !string.IsNullOrEmpty(name)).Select(name => name!);
}
