using System.IO.Compression;
using FeedFunctions.Packages;

namespace FeedFunctions.Symbols;

/// <summary>
/// Every PDB of a .snupkg, decompressed into temporary files and checked to be readable portable PDBs before
/// anything is stored: one bad entry refuses the whole push, so nothing is indexed. The zip structure and entry
/// names were checked by <see cref="PackageReader.ReadSymbolPackageAsync"/> already; here the decompressed sizes are
/// bounded as they are produced (a zip bomb's declared sizes lie).
/// </summary>
public sealed class SymbolPackagePdbs : IAsyncDisposable
{
    /// <summary>Bound on the PDB count (one blob and two table rows each).</summary>
    public const int MaxPdbs = 1000;

    private const int CopyBufferSize = 81920;

    private readonly List<SpooledPdb> _pdbs = [];

    private SymbolPackagePdbs()
    {
    }

    /// <summary>Distinct by SSQP key and file name (pack puts the same PDB in several framework folders).</summary>
    public IReadOnlyList<SpooledPdb> Pdbs => _pdbs;

    /// <exception cref="InvalidPackageException">A PDB is not a portable PDB, too large, corrupt, or two differ under one key.</exception>
    /// <param name="maxPdbBytes">Bound on each PDB, decompressed; all of them together get twice this (temporary disk per push).</param>
    public static async Task<SymbolPackagePdbs> ExtractAsync(Stream snupkg, string tempFolder, long maxPdbBytes, CancellationToken cancellationToken)
    {
        var limits = new Limits(maxPdbBytes, 2 * maxPdbBytes);
        var result = new SymbolPackagePdbs();
        try
        {
            snupkg.Position = 0;
            var zip = await PackageArchive.OpenZipAsync(snupkg, cancellationToken).ConfigureAwait(false);
            await using (zip.ConfigureAwait(false))
            {
                long total = 0;
                var count = 0;
                foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)))
                {
                    if (++count > MaxPdbs)
                    {
                        throw new InvalidPackageException($"The symbol package holds more than {MaxPdbs} PDB files.");
                    }

                    var pdb = await ExtractOneAsync(entry, tempFolder, limits, limits.Total - total, cancellationToken).ConfigureAwait(false);
                    total += pdb.Content.Length;
                    result.Add(pdb);
                }
            }

            return result;
        }
        catch
        {
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Add(SpooledPdb pdb)
    {
        var same = _pdbs.FirstOrDefault(p => p.Key == pdb.Key && p.FileName == pdb.FileName);
        if (same is null)
        {
            _pdbs.Add(pdb);
            return;
        }

        pdb.Content.Dispose();
        if (same.Identity.Checksum != pdb.Identity.Checksum)
        {
            throw new InvalidPackageException(
                $"{ErrorText.Quote(same.EntryName)} and {ErrorText.Quote(pdb.EntryName)} have the same PDB id but different content.");
        }
    }

    private static async Task<SpooledPdb> ExtractOneAsync(ZipArchiveEntry entry, string tempFolder, Limits limits, long budget, CancellationToken cancellationToken)
    {
        var fileName = entry.Name.ToLowerInvariant();
        if (!SymbolKey.IsServableFileName(fileName))
        {
            throw new InvalidPackageException(
                $"The PDB file name {ErrorText.Quote(entry.Name)} cannot be served (printable ASCII without '#', '?' or '|', at most {SymbolKey.MaxFileNameLength} characters).");
        }

        var limit = Math.Min(limits.Each, budget);
        if (entry.Length > limit)
        {
            throw TooLarge(entry.FullName, limits);
        }

        Directory.CreateDirectory(tempFolder);
        var file = new FileStream(
            Path.Combine(tempFolder, "feed-pdb-" + Guid.NewGuid().ToString("N")),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.DeleteOnClose);
        try
        {
            await CopyBoundedAsync(entry, file, limit, limits, cancellationToken).ConfigureAwait(false);
            var identity = await PortablePdbReader.ReadAsync(file, entry.FullName, cancellationToken).ConfigureAwait(false);
            return new SpooledPdb(entry.FullName, fileName, identity, file);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CopyBoundedAsync(ZipArchiveEntry entry, FileStream file, long limit, Limits limits, CancellationToken cancellationToken)
    {
        var buffer = new byte[CopyBufferSize];
        try
        {
            var source = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                long written = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    written += read;
                    if (written > limit)
                    {
                        throw TooLarge(entry.FullName, limits);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidPackageException($"{ErrorText.Quote(entry.FullName)} is corrupt or uses an unsupported compression method.", exception);
        }
    }

    private static InvalidPackageException TooLarge(string name, Limits limits) =>
        new($"{ErrorText.Quote(name)} is too large: a symbol package's PDBs may take at most {limits.Each} bytes each and {limits.Total} in all, decompressed.");

    private readonly record struct Limits(long Each, long Total);

    public async ValueTask DisposeAsync()
    {
        foreach (var pdb in _pdbs)
        {
            await pdb.DisposeAsync().ConfigureAwait(false);
        }

        _pdbs.Clear();
    }
}
