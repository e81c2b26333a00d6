using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Advisories;

/// <summary>
/// "A version or a range" as the deprecate commands take it: a plain version means exactly that version (not NuGet's
/// "at least", which would surprise here); anything starting with '[' or '(' is a NuGet version range.
/// </summary>
public sealed record VersionSelector(NuGetVersion? Exact, VersionRange? Range)
{
    public static VersionSelector? TryParse(string? text, out string? error)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "A version or a version range is required.";
            return null;
        }

        if (text[0] is '[' or '(')
        {
            if (!VersionRange.TryParse(text, out var range) || range.IsFloating)
            {
                error = $"'{text}' is not a valid NuGet version range (e.g. \"[1.0.0, 2.0.0)\").";
                return null;
            }

            error = null;
            return new VersionSelector(null, range);
        }

        if (!PackageIdentity.TryParseVersion(text, out var version, out error))
        {
            return null;
        }

        return new VersionSelector(version, null);
    }

    public bool Matches(NuGetVersion version) => Exact is not null ? Exact == version : Range!.Satisfies(version);

    public override string ToString() => Exact?.ToNormalizedString() ?? Range!.ToNormalizedString();
}
