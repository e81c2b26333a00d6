namespace FeedFunctions.Auth;

/// <summary>Package-id globs like <c>Contoso.*</c>: <c>*</c> matches any run of characters, case-insensitively.</summary>
public static class PackageIdGlob
{
    public static bool MatchesAny(IReadOnlyList<string> globs, string packageId) =>
        globs.Count == 0 || globs.Any(glob => Matches(glob, packageId));

    public static bool Matches(string glob, string packageId) => Wildcard.Matches(glob, packageId, StringComparison.OrdinalIgnoreCase);

    public static bool IsValid(string glob) =>
        glob.Length is > 0 and <= 128 && glob.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*');
}
