using System.IO.Compression;

namespace FeedFunctions.Packages;

/// <summary>
/// Reads and validates an uploaded .nupkg. The package is hostile until proven otherwise: the zip structure is
/// checked before <see cref="ZipArchive"/> sees it, only the .nuspec is ever decompressed, and that with a hard
/// limit on the bytes actually produced.
/// </summary>
public static class PackageReader
{
    /// <exception cref="InvalidPackageException">The package is malformed or its metadata breaks a rule.</exception>
    public static async Task<PackageMetadata> ReadAsync(
        Stream seekablePackage,
        PackageReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seekablePackage);
        if (!seekablePackage.CanSeek || !seekablePackage.CanRead)
        {
            throw new ArgumentException("The package stream must be readable and seekable.", nameof(seekablePackage));
        }

        options ??= PackageReaderOptions.Default;
        await ZipCentralDirectoryCheck.ValidateAsync(seekablePackage, options.MaxEntries, cancellationToken).ConfigureAwait(false);

        seekablePackage.Position = 0;
        var archive = await OpenArchiveAsync(seekablePackage, cancellationToken).ConfigureAwait(false);
        await using (archive.ConfigureAwait(false))
        {
            var entries = ReadEntries(archive);
            var entryNames = new List<string>(entries.Count);
            ZipArchiveEntry? nuspec = null;
            foreach (var entry in entries)
            {
                ZipEntryNames.Validate(entry.FullName);
                entryNames.Add(entry.FullName);
                if (ZipEntryNames.IsRootNuspec(entry.FullName))
                {
                    nuspec = nuspec is null
                        ? entry
                        : throw new InvalidPackageException("The package contains more than one .nuspec file.");
                }
            }

            if (nuspec is null)
            {
                throw new InvalidPackageException("The package contains no .nuspec file at its root.");
            }

            var nuspecBytes = await ReadNuspecAsync(nuspec, options.MaxNuspecBytes, cancellationToken).ConfigureAwait(false);
            return NuspecParser.Parse(nuspecBytes, entryNames);
        }
    }

    private static async Task<ZipArchive> OpenArchiveAsync(Stream package, CancellationToken cancellationToken)
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

    private static async Task<byte[]> ReadNuspecAsync(ZipArchiveEntry nuspec, int maxBytes, CancellationToken cancellationToken)
    {
        // An honest size declaration lets us refuse without decompressing; a dishonest one is caught while reading.
        if (nuspec.Length > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        try
        {
            var stream = await nuspec.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await BoundedReader.ReadAsync(stream, maxBytes, cancellationToken).ConfigureAwait(false)
                    ?? throw TooLarge(maxBytes);
            }
        }
        catch (InvalidDataException exception)
        {
            // Corrupt deflate data, or a compression method (or encryption) the framework cannot read.
            throw new InvalidPackageException("The .nuspec entry is corrupt or uses an unsupported compression method.", exception);
        }
    }

    private static InvalidPackageException TooLarge(int maxBytes) =>
        new($"The .nuspec exceeds {maxBytes} bytes.");
}
