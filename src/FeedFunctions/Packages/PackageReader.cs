namespace FeedFunctions.Packages;

/// <summary>
/// Reads and validates an uploaded package with NuGet's own readers (PackageArchiveReader, NuspecReader), so the feed
/// sees a package exactly as the NuGet client does, behind the guards NuGet lacks (see <see cref="PackageArchive"/>)
/// and under the feed's rules on top (see <see cref="NuspecMetadata"/>).
/// </summary>
public static class PackageReader
{
    /// <summary>Reads a .nupkg by the rules for a package the feed serves, with its embedded readme and icon.</summary>
    /// <exception cref="InvalidPackageException">The package is malformed or its metadata breaks a rule.</exception>
    public static async Task<PackageMetadata> ReadAsync(
        Stream seekablePackage,
        PackageReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= PackageReaderOptions.Default;
        var contents = await PackageArchive.ReadAsync(seekablePackage, options, cancellationToken).ConfigureAwait(false);
        var metadata = NuGetRead.Get(() => NuspecMetadata.ReadPackage(contents), CannotRead);
        return await PackageEmbeddedFiles.AddAsync(seekablePackage, metadata, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a .snupkg by the rules for symbol packages: the same zip and nuspec guards, a valid id and version, the
    /// SymbolsPackage type and only symbol files; pack omits authors from a .snupkg, so they are not required.
    /// </summary>
    /// <exception cref="InvalidPackageException">The package is malformed or is not a valid symbol package.</exception>
    public static async Task<PackageMetadata> ReadSymbolPackageAsync(
        Stream seekablePackage,
        PackageReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var contents = await PackageArchive.ReadAsync(seekablePackage, options ?? PackageReaderOptions.Default, cancellationToken)
            .ConfigureAwait(false);
        return NuGetRead.Get(() => NuspecMetadata.ReadSymbolPackage(contents), CannotRead);
    }

    /// <summary>
    /// The mapping calls NuGet's getters directly where they cannot fail on a document that has a metadata element;
    /// should one fail anyway, that is still the package's fault, never a 500.
    /// </summary>
    private static string CannotRead(Exception _) => "The .nuspec cannot be read by NuGet.";
}
