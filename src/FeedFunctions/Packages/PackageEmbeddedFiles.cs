using NuGet.Packaging;

namespace FeedFunctions.Packages;

/// <summary>
/// Takes the readme and icon the .nuspec names out of the package at push time, so the read side serves them from
/// blobs of their own instead of opening the .nupkg on every request. Both are bounded like the .nuspec
/// (decompressed bytes counted, declared sizes not trusted): one over its limit refuses the push, as nuget.org and
/// pack (NU5047) refuse an icon over 1 MB, so that a missing readme never surprises the publisher later. An icon
/// that is no image type the feed serves (see <see cref="ImageTypes"/>) is left out instead: pack only warns about
/// it (NU5045), and the package is still good.
/// </summary>
internal static class PackageEmbeddedFiles
{
    public static async Task<PackageMetadata> AddAsync(
        Stream seekablePackage, PackageMetadata metadata, PackageReaderOptions options, CancellationToken cancellationToken)
    {
        if (metadata.ReadmePath is null && metadata.IconPath is null)
        {
            return metadata;
        }

        // A second pass over a zip PackageArchive already checked: the central directory is read again, which is
        // cheap next to the push, and keeps the archive reader free of what the nuspec says.
        seekablePackage.Position = 0;
        var zip = await PackageArchive.OpenZipAsync(seekablePackage, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            using var package = new PackageArchiveReader(zip);
            var readme = metadata.ReadmePath is null
                ? null
                : await ReadAsync(package, metadata.ReadmePath, options.MaxReadmeBytes, "The readme", cancellationToken).ConfigureAwait(false);
            var icon = metadata.IconPath is null
                ? null
                : await ReadAsync(package, metadata.IconPath, options.MaxIconBytes, "The icon", cancellationToken).ConfigureAwait(false);
            var iconType = icon is null ? null : ImageTypes.Detect(icon);
            return metadata with
            {
                Readme = readme,
                Icon = iconType is null ? null : new PackageIcon(icon, iconType),
            };
        }
    }

    private static Task<byte[]> ReadAsync(PackageArchiveReader package, string path, int maxBytes, string what, CancellationToken cancellationToken)
    {
        // The path is one GetFiles returned (unescaped); GetEntry maps it back to the zip entry as NuGet does.
        var entry = NuGetRead.Get(() => package.GetEntry(path), _ => $"{what} entry cannot be opened.");
        return PackageArchive.ReadBoundedAsync(entry, maxBytes, what, cancellationToken);
    }
}
