using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>
/// ID and version rules shared by the package reader and by routes that take an ID and version from the URL, so a
/// package that can be pushed can always be addressed, and vice versa.
/// </summary>
public static partial class PackageIdentity
{
    public const int MaxIdLength = 100;

    /// <summary>nuget.org allows longer IDs for dependencies (its database column) than for new packages.</summary>
    public const int MaxDependencyIdLength = 128;

    public const int MaxVersionLength = 64;

    private const string IdRuleText =
        "use ASCII letters, digits or '_', separated by single dots or dashes.";

    /// <summary>
    /// Validates an ID for a package we host, with nuget.org's ASCII-only rule so Unicode look-alikes of existing IDs
    /// cannot be registered.
    /// </summary>
    public static bool TryValidateId([NotNullWhen(true)] string? id, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            error = "The package ID is missing.";
            return false;
        }

        if (id.Length > MaxIdLength)
        {
            error = $"The package ID {ErrorText.Quote(id)} is invalid: it is longer than {MaxIdLength} characters.";
            return false;
        }

        if (!HostedIdPattern().IsMatch(id))
        {
            error = $"The package ID {ErrorText.Quote(id)} is invalid: {IdRuleText}";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Validates the ID of a dependency. Existing packages elsewhere may use non-ASCII letters (the NuGet client's
    /// own rule), and we must not refuse a package merely for depending on one.
    /// </summary>
    public static bool TryValidateDependencyId([NotNullWhen(true)] string? id, [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            error = "A dependency has no ID.";
            return false;
        }

        if (id.Length > MaxDependencyIdLength || !DependencyIdPattern().IsMatch(id))
        {
            error = $"The dependency ID {ErrorText.Quote(id)} is invalid.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>
    /// Parses with NuGet's own lenient parser (so <c>1.0</c> and <c>01.0</c> are accepted and normalize to
    /// <c>1.0.0</c>), after the nuget.org length limit.
    /// </summary>
    public static bool TryParseVersion(
        string? text,
        [NotNullWhen(true)] out NuGetVersion? version,
        [NotNullWhen(false)] out string? error)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The package version is missing.";
            return false;
        }

        if (text.Length > MaxVersionLength)
        {
            error = $"The version {ErrorText.Quote(text)} is longer than {MaxVersionLength} characters.";
            return false;
        }

        // NuGetVersion.TryParse trims surrounding whitespace itself; refusing it here keeps URL segments exact.
        if (text.AsSpan().Trim().Length != text.Length || !NuGetVersion.TryParse(text, out version))
        {
            version = null;
            error = $"The version {ErrorText.Quote(text)} is not a valid NuGet version.";
            return false;
        }

        error = null;
        return true;
    }

    // \z rather than $: in .NET, $ also matches before a trailing newline, which would let "Id\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9_]+([.-][A-Za-z0-9_]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex HostedIdPattern();

    [GeneratedRegex(@"^\w+([.-]\w+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex DependencyIdPattern();
}
