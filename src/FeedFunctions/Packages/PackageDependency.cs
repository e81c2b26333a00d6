namespace FeedFunctions.Packages;

/// <summary>
/// One dependency. <see cref="VersionRange"/> is <c>VersionRange.ToNormalizedString()</c>; a missing range is
/// NuGet's "any version", <c>(, )</c>.
/// </summary>
public sealed record PackageDependency(string Id, string VersionRange, string? Include = null, string? Exclude = null);
