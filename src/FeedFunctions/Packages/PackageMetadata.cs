using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>What the feed needs from a package's .nuspec, validated.</summary>
public sealed record PackageMetadata
{
    /// <summary>The ID with the casing the author chose; use <see cref="LowerId"/> for keys and URLs.</summary>
    public required string Id { get; init; }

    public required NuGetVersion Version { get; init; }

    public string NormalizedVersion => Version.ToNormalizedString();

    public string FullVersion => Version.ToFullString();

    public string LowerId => Id.ToLowerInvariant();

    public string LowerVersion => NormalizedVersion.ToLowerInvariant();

    public bool IsPrerelease => Version.IsPrerelease;

    /// <summary>
    /// True when SemVer 1 clients cannot handle the package: its own version is SemVer2, or a dependency range
    /// needs a SemVer2 version (nuget.org hides such packages from clients that do not send semVerLevel=2.0.0).
    /// </summary>
    public required bool IsSemVer2 { get; init; }

    public required IReadOnlyList<string> Authors { get; init; }

    public IReadOnlyList<string> Owners { get; init; } = [];

    public string? Title { get; init; }

    public required string Description { get; init; }

    public string? Summary { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public Uri? ProjectUrl { get; init; }

    public Uri? LicenseUrl { get; init; }

    public PackageLicense? License { get; init; }

    public Uri? IconUrl { get; init; }

    /// <summary>Zip entry name of the embedded icon, exact casing as stored in the package.</summary>
    public string? IconPath { get; init; }

    /// <summary>Zip entry name of the embedded readme, exact casing as stored in the package.</summary>
    public string? ReadmePath { get; init; }

    public string? ReleaseNotes { get; init; }

    public string? Copyright { get; init; }

    public string? Language { get; init; }

    public bool RequireLicenseAcceptance { get; init; }

    public bool DevelopmentDependency { get; init; }

    public bool Serviceable { get; init; }

    public NuGetVersion? MinClientVersion { get; init; }

    public PackageRepository? Repository { get; init; }

    public IReadOnlyList<PackageTypeInfo> PackageTypes { get; init; } = [];

    public IReadOnlyList<PackageDependencyGroup> DependencyGroups { get; init; } = [];

    /// <summary>The readme <see cref="ReadmePath"/> names, as stored in the package; null when there is none.</summary>
    public ReadOnlyMemory<byte>? Readme { get; init; }

    /// <summary>The icon <see cref="IconPath"/> names when it is an image type the feed serves; null otherwise.</summary>
    public PackageIcon? Icon { get; init; }
}
