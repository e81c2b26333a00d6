using NuGet.Packaging;
using NuGet.Packaging.Licenses;

namespace FeedFunctions.Packages;

/// <summary>
/// The &lt;license&gt; element as NuGet reads it (<see cref="NuspecReader.GetLicenseMetadata"/>). NuGet never throws
/// here: it ignores a license of unknown type and lists problems in WarningsAndErrors. The feed refuses what NuGet
/// reports as an error (unparsable expression, unsupported or invalid version, empty value) and an unknown type,
/// but accepts its two warnings, a non-standard identifier and UNLICENSED, which private packages legitimately use.
/// </summary>
internal static class NuspecLicense
{
    public static PackageLicense? Read(NuspecReader nuspec, IReadOnlyCollection<string> files)
    {
        var license = NuGetRead.Get(nuspec.GetLicenseMetadata, _ => "The <license> cannot be read by NuGet.");
        if (license is null || !Enum.IsDefined(license.Type))
        {
            // A non-empty <license> that NuGet skips would leave the package's license silently unstated.
            return string.IsNullOrWhiteSpace(nuspec.GetMetadataValue("license"))
                ? null
                : throw new InvalidPackageException("The <license> type is missing or invalid; use 'expression' or 'file'.");
        }

        if (license.WarningsAndErrors is { Count: > 0 } messages && messages.Count > ExpectedWarnings(license.LicenseExpression))
        {
            throw new InvalidPackageException($"The <license> is invalid: {messages[0]}");
        }

        var value = NuspecText.Required(license.License, "license", NuspecLimits.Other);
        var type = license.Type == LicenseType.File ? PackageLicenseType.File : PackageLicenseType.Expression;
        if (type == PackageLicenseType.File)
        {
            value = NuspecFiles.Find(files, "license", value);
        }

        // NuGet substitutes the same EmptyVersion instance when the element has no version attribute.
        var version = ReferenceEquals(license.Version, LicenseMetadata.EmptyVersion) ? null : license.Version.ToString();
        return new PackageLicense(type, value, version);
    }

    /// <summary>NuGet appends a warning for non-standard identifiers and one for UNLICENSED, after any error.</summary>
    private static int ExpectedWarnings(NuGetLicenseExpression? expression)
    {
        if (expression is null)
        {
            return 0;
        }

        return (expression.HasOnlyStandardIdentifiers() ? 0 : 1) + (expression.IsUnlicensed() ? 1 : 0);
    }
}
