namespace FeedFunctions.Packages;

/// <summary>
/// Rules for entry names inside a package. We never extract to disk, but names are served back (icons, readmes)
/// and may be extracted by other tools, so anything that could escape a folder or confuse a path parser is refused.
/// </summary>
internal static class ZipEntryNames
{
    public const string NuspecExtension = ".nuspec";

    public static void Validate(string name)
    {
        if (name.Length == 0)
        {
            throw Invalid(name, "it is empty");
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                throw Invalid(name, "it contains a control character");
            }
        }

        if (name.Contains('\\'))
        {
            throw Invalid(name, "it contains a backslash");
        }

        if (name[0] == '/')
        {
            throw Invalid(name, "it is an absolute path");
        }

        if (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
        {
            throw Invalid(name, "it starts with a drive letter");
        }

        // A trailing '/' marks a directory entry, so only the segments before it must be non-empty.
        var segments = name.EndsWith('/') ? name[..^1].Split('/') : name.Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw Invalid(name, "it contains an empty path segment");
            }

            if (segment is "." or "..")
            {
                throw Invalid(name, "it contains a relative path segment");
            }
        }
    }

    /// <summary>
    /// Like NuGet, only a .nuspec at the root counts; ones in subfolders are content files.
    /// </summary>
    public static bool IsRootNuspec(string name) =>
        !name.Contains('/') && name.EndsWith(NuspecExtension, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Finds the entry a nuspec path (icon, readme, license file) refers to. Authors write these paths with either
    /// separator, and NuGet's pack task matches them case-insensitively.
    /// </summary>
    public static string? FindEntry(IReadOnlyCollection<string> entryNames, string nuspecPath)
    {
        var wanted = nuspecPath.Replace('\\', '/').TrimStart('/');
        if (wanted.StartsWith("./", StringComparison.Ordinal))
        {
            wanted = wanted[2..];
        }

        string? caseInsensitiveMatch = null;
        foreach (var name in entryNames)
        {
            if (string.Equals(name, wanted, StringComparison.Ordinal))
            {
                return name;
            }

            if (caseInsensitiveMatch is null && string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
            {
                caseInsensitiveMatch = name;
            }
        }

        return caseInsensitiveMatch;
    }

    private static InvalidPackageException Invalid(string name, string reason) =>
        new($"The package contains an invalid entry name {ErrorText.Quote(name)}: {reason}.");
}
