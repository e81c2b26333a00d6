using System.IO.Compression;
using NuGet.Packaging;

namespace FeedFunctions.Packages;

/// <summary>
/// Opens an uploaded .nupkg or .snupkg the way the NuGet client does (<see cref="PackageArchiveReader"/> for the file
/// list, <see cref="NuspecReader"/> for the metadata), with the guards NuGet does not have in front of it. The
/// package is hostile until proven otherwise: the zip structure is checked before <see cref="ZipArchive"/> sees it,
/// every entry name is checked, and only the .nuspec is ever decompressed, with a hard limit on the bytes produced.
/// </summary>
internal static class PackageArchive
{
    public static async Task<PackageContents> ReadAsync(Stream seekablePackage, PackageReaderOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seekablePackage);
        if (!seekablePackage.CanSeek || !seekablePackage.CanRead)
        {
            throw new ArgumentException("The package stream must be readable and seekable.", nameof(seekablePackage));
        }

        await ZipCentralDirectoryCheck.ValidateAsync(seekablePackage, options.MaxEntries, cancellationToken).ConfigureAwait(false);

        seekablePackage.Position = 0;
        var zip = await OpenZipAsync(seekablePackage, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            var entries = ReadEntries(zip);
            foreach (var entry in entries)
            {
                ZipEntryNames.Validate(entry.FullName);
            }

            using var package = new PackageArchiveReader(zip);
            var files = NuGetRead.Get(() => package.GetFiles().ToList(), _ => "The package is not a valid zip archive.");

            // NuGet unescapes %XX in entry names (old packers escaped them); the client extracts these names, so
            // they must pass the same rules as the raw ones.
            foreach (var file in files.Except(entries.Select(e => e.FullName), StringComparer.Ordinal))
            {
                ZipEntryNames.Validate(file);
            }

            var nuspecPath = FindRootNuspec(files);
            var nuspecEntry = NuGetRead.Get(() => package.GetEntry(nuspecPath), _ => "The package's .nuspec entry cannot be opened.");

            // Not PackageArchiveReader.GetNuspec(): it decompresses the entry without a bound, and a zip bomb's
            // declared size is a lie. Reading it ourselves keeps decompression to MaxNuspecBytes produced bytes.
            var nuspecBytes = await ReadBoundedAsync(nuspecEntry, options.MaxNuspecBytes, "The .nuspec", cancellationToken).ConfigureAwait(false);
            var document = NuspecDocument.Load(nuspecBytes);
            return new PackageContents(files, nuspecPath, new NuspecReader(document));
        }
    }

    /// <summary>
    /// The root .nuspec of a package the feed accepted (and so checked) on push, decompressed to at most
    /// <paramref name="maxBytes"/> bytes; the package stream only needs to be seekable.
    /// </summary>
    public static async Task<byte[]> ReadRootNuspecAsync(Stream seekablePackage, int maxBytes, CancellationToken cancellationToken)
    {
        var zip = await OpenZipAsync(seekablePackage, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            var entry = ReadEntries(zip).FirstOrDefault(e => ZipEntryNames.IsRootNuspec(e.FullName))
                ?? throw new InvalidPackageException("The package contains no .nuspec file at its root.");
            return await ReadBoundedAsync(entry, maxBytes, "The .nuspec", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Like NuGet (PackageHelper.IsManifest), only a .nuspec at the root is the manifest; ones in subfolders are
    /// content. NuGet refuses a package with none or several, and so do we, with a reason the pusher can act on.
    /// </summary>
    private static string FindRootNuspec(IReadOnlyList<string> files)
    {
        string? nuspec = null;
        foreach (var file in files)
        {
            if (ZipEntryNames.IsRootNuspec(file))
            {
                nuspec = nuspec is null
                    ? file
                    : throw new InvalidPackageException("The package contains more than one .nuspec file.");
            }
        }

        return nuspec ?? throw new InvalidPackageException("The package contains no .nuspec file at its root.");
    }

    /// <summary>Opens a package whose zip structure <see cref="ZipCentralDirectoryCheck"/> has already accepted.</summary>
    internal static async Task<ZipArchive> OpenZipAsync(Stream package, CancellationToken cancellationToken)
    {
        try
        {
            return await ZipArchive.CreateAsync(package, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidPackageException("The package is not a valid zip archive.", exception);
        }
    }

    /// <summary>ZipArchive parses the central directory lazily, on first access to Entries.</summary>
    private static IReadOnlyCollection<ZipArchiveEntry> ReadEntries(ZipArchive archive)
    {
        try
        {
            return archive.Entries;
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidPackageException("The package is not a valid zip archive.", exception);
        }
    }

    /// <summary>
    /// Decompresses one entry, never producing more than <paramref name="maxBytes"/>: the entry's declared size is
    /// the package's word, and a zip bomb lies. <paramref name="what"/> names the entry in the reason ("The .nuspec").
    /// </summary>
    internal static async Task<byte[]> ReadBoundedAsync(ZipArchiveEntry entry, int maxBytes, string what, CancellationToken cancellationToken)
    {
        // An honest size declaration lets us refuse without decompressing; a dishonest one is caught while reading.
        if (entry.Length > maxBytes)
        {
            throw TooLarge(what, maxBytes);
        }

        try
        {
            var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await BoundedReader.ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false)
                    ?? throw TooLarge(what, maxBytes);
            }
        }
        catch (InvalidDataException exception)
        {
            // Corrupt deflate data, or a compression method (or encryption) the framework cannot read.
            throw new InvalidPackageException($"{what} entry is corrupt or uses an unsupported compression method.", exception);
        }
    }

    private static InvalidPackageException TooLarge(string what, int maxBytes) =>
        new($"{what} exceeds {maxBytes} bytes.");
}
