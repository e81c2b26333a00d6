namespace FeedFunctions.Packages;

/// <summary>
/// The nuspec <c>&lt;license&gt;</c> element. For <see cref="PackageLicenseType.File"/>, <see cref="Value"/> is the
/// zip entry name as stored in the package (exact casing), so it can be served without another lookup.
/// </summary>
public sealed record PackageLicense(PackageLicenseType Type, string Value, string? Version);
