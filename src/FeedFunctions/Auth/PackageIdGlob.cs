using System.Text.RegularExpressions;

namespace FeedFunctions.Auth;

/// <summary>Package-id globs like <c>Contoso.*</c>: <c>*</c> matches any run of characters, case-insensitively.</summary>
public static class PackageIdGlob
{
    public static bool MatchesAny(IReadOnlyList<string> globs, string packageId) =>
        globs.Count == 0 || globs.Any(glob => Matches(glob, packageId));

    public static bool Matches(string glob, string packageId)
    {
        var pattern = "^" + string.Join(".*", glob.Split('*').Select(Regex.Escape)) + "$";
        return Regex.IsMatch(packageId, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    public static bool IsValid(string glob) =>
        glob.Length is > 0 and <= 128 && glob.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '*');
}
