namespace FeedFunctions.Packages;

/// <summary>Resolves the files a nuspec names (icon, readme, license file) against the package's files.</summary>
internal static class NuspecFiles
{
    public static string Find(IReadOnlyCollection<string> files, string field, string path) =>
        ZipEntryNames.FindEntry(files, path) ?? throw new InvalidPackageException(
            $"The <{field}> file {ErrorText.Quote(path)} does not exist in the package.");

    public static string? FindOptional(IReadOnlyCollection<string> files, string field, string? value)
    {
        var path = NuspecText.Text(value, field, NuspecLimits.Other);
        return path is null ? null : Find(files, field, path);
    }
}
