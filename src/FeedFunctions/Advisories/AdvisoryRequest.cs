using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Advisories;

/// <summary>A validated "add an advisory" request: everything is checked before storage is touched.</summary>
public sealed record AdvisoryRequest(string PackageId, string Versions, int Severity, string Url)
{
    /// <summary>Bounded as browsers and proxies bound URLs; advisory links are short.</summary>
    public const int MaxUrlLength = 2048;

    public static AdvisoryRequest? TryCreate(string? packageId, string? versions, string? severity, string? url, out string? error)
    {
        if (!PackageIdentity.TryValidateId(packageId, out error))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(versions) || !VersionRange.TryParse(versions.Trim(), out var range) || range.IsFloating)
        {
            error = $"'{versions}' is not a valid NuGet version range (e.g. \"[1.0.0, 1.2.3)\" or \"(, 2.0.0)\").";
            return null;
        }

        if (AdvisorySeverity.Parse(severity) is not { } level)
        {
            error = $"Severity '{severity}' is not one of low (0), moderate (1), high (2) or critical (3).";
            return null;
        }

        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxUrlLength
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host))
        {
            error = $"The advisory URL must be an absolute https URL of at most {MaxUrlLength} characters.";
            return null;
        }

        error = null;
        return new AdvisoryRequest(packageId, range.ToNormalizedString(), level, uri.AbsoluteUri);
    }
}
