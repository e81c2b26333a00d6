using System.Diagnostics.CodeAnalysis;

namespace FeedFunctions.Packages;

/// <summary>
/// An id and version as they arrive in a URL (as the user typed them), validated and normalized to the row keys:
/// ids match case-insensitively and versions are normalized (1.0 = 1.0.0.0 = 1.0.0).
/// </summary>
public readonly record struct PackageKey(string Id, string NormalizedVersion)
{
    public string LowerId => Id.ToLowerInvariant();

    public string LowerVersion => NormalizedVersion.ToLowerInvariant();

    public string NotFoundReason => $"Package '{Id}' version '{NormalizedVersion}' was not found.";

    public static bool TryParse(string id, string version, out PackageKey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        if (!PackageIdentity.TryValidateId(id, out error))
        {
            return false;
        }

        if (!PackageIdentity.TryParseVersion(version, out var parsed, out error))
        {
            return false;
        }

        key = new PackageKey(id, parsed.ToNormalizedString());
        return true;
    }
}
