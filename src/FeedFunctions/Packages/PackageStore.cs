using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FeedFunctions.Events;
using FeedFunctions.Storage;

namespace FeedFunctions.Packages;

/// <summary>
/// Package rows and blobs. Every state change is one entity group transaction in the package's partition that
/// also records its pending event (the outbox), so a change and its event commit together or not at all.
/// </summary>
public sealed class PackageStore(FeedStorage storage, PackageEventOutbox outbox, ILogger<PackageStore> logger)
{
    /// <summary>
    /// Largest package sent as one Put Blob (whose Content-MD5 storage checks); larger ones go up in blocks. Pushes
    /// over one block are normally staged while they stream in, so this mostly serves the fallback path.
    /// </summary>
    private const int SingleUploadLimit = 32 * 1024 * 1024;

    /// <summary>Range size when the .nuspec is read out of a stored package: the directory, then the entry.</summary>
    private const int NuspecReadBufferSize = 64 * 1024;

    private TableClient Table => storage.PackagesTable;

    /// <summary>If-None-Match: * (a fresh instance each time: request conditions are mutable).</summary>
    private static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };

    public async Task<PackageRecord?> FindAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, lowerVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? PackageRecordMapper.FromEntity(entity.Value!) : null;
    }

    public async Task<bool> IdExistsAsync(string lowerId, CancellationToken cancellationToken)
    {
        // Pages can come back empty with a continuation, so the first row of the whole query decides, not the first page.
        await foreach (var _ in Table.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), maxPerPage: 1, select: ["RowKey"], cancellationToken)
                           .ConfigureAwait(false))
        {
            return true;
        }

        return false;
    }

    public async Task<IReadOnlyList<PackageRecord>> ListVersionsAsync(string lowerId, CancellationToken cancellationToken)
    {
        var records = new List<PackageRecord>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            records.Add(PackageRecordMapper.FromEntity(entity));
        }

        return records;
    }

    /// <summary>
    /// Create-only upload to this push's own folder: one Put Blob up to <see cref="SingleUploadLimit"/>, blocks above.
    /// Each request carries an MD5 (computed by the SDK) so storage checks the bytes it got; a single Put Blob keeps
    /// it as the blob's Content-MD5.
    /// </summary>
    public Task UploadAsync(string blobName, Stream content, string contentType, CancellationToken cancellationToken) =>
        CreateInOwnFolderAsync(() => storage.Packages.GetBlobClient(blobName).UploadAsync(content, UploadOptions(CreateOnly, contentType), cancellationToken));

    /// <summary>The symbol package of a version: replaced on a re-push (symbols are not part of what restore sees).</summary>
    public Task UploadSymbolsAsync(string lowerId, string lowerVersion, Stream content, CancellationToken cancellationToken) =>
        storage.Packages.GetBlobClient(PackageBlobNames.SymbolPackage(lowerId, lowerVersion))
            .UploadAsync(content, UploadOptions(conditions: null, "application/octet-stream"), cancellationToken);

    /// <summary>Stages a push's blocks while its body streams in (see <see cref="Publishing.PackageBlockStager"/>).</summary>
    public Publishing.PackageBlockStager CreateStager() => new(storage.Packages);

    /// <summary>
    /// Create-only commit of the blocks staged during the push. Each block was checked against its own MD5 when it was
    /// staged; the whole package's hash is its SHA-512 in the row (no whole-blob MD5: a second hash over every byte
    /// on the receive path, measured at ~100 ms per 50 MB, for a property nothing here reads).
    /// </summary>
    public Task CommitStagedAsync(Publishing.StagedPackageBlob staged, CancellationToken cancellationToken) =>
        CreateInOwnFolderAsync(() => storage.Packages.GetBlockBlobClient(staged.BlobName).CommitBlockListAsync(
            staged.BlockIds,
            new CommitBlockListOptions
            {
                Conditions = CreateOnly,
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            },
            cancellationToken));

    private static BlobUploadOptions UploadOptions(BlobRequestConditions? conditions, string contentType) => new()
    {
        Conditions = conditions,
        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        TransferOptions = new StorageTransferOptions
        {
            InitialTransferSize = SingleUploadLimit,
            MaximumTransferSize = Publishing.PackageBlockStager.BlockSize,
            MaximumConcurrency = 4,
        },
        TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
    };

    /// <summary>
    /// Every push writes into a folder only it uses, so "already exists" there can only be this push's own earlier
    /// attempt: the retry policy resent a create whose response was lost, and the blob is already complete.
    /// </summary>
    private static async Task CreateInOwnFolderAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
        }
    }

    /// <summary>Commits a new version. False when the id+version already exists (someone else won).</summary>
    public async Task<bool> AddAsync(PackageRecord record, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(
                [new(TableTransactionActionType.Add, PackageRecordMapper.ToEntity(record)), outbox.PendingRow(record.LowerId, packageEvent)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Overwrites a version whose row still has <paramref name="etag"/>. False when it changed meanwhile.</summary>
    public async Task<bool> ReplaceAsync(PackageRecord record, ETag etag, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new(TableTransactionActionType.UpdateReplace, PackageRecordMapper.ToEntity(record), etag),
                    outbox.PendingRow(record.LowerId, packageEvent),
                ],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Sets the listed flag. Returns the previous record (null when absent) and whether this call changed it;
    /// only a change emits an event. ETag-checked, so concurrent calls serialize and the last write wins.
    /// </summary>
    public Task<(PackageRecord? Before, bool Changed)> SetListedAsync(
        string lowerId, string lowerVersion, bool listed, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken) =>
        SetListedAsync(lowerId, lowerVersion, listed, ifMatch: null, createEvent, cancellationToken);

    /// <param name="ifMatch">
    /// Only change the row while it still has this ETag (what a caller decided on, e.g. retention's plan); a row that
    /// changed meanwhile (an overwrite) is left alone and reported as absent. Null: whatever the row is now.
    /// </param>
    public async Task<(PackageRecord? Before, bool Changed)> SetListedAsync(
        string lowerId, string lowerVersion, bool listed, ETag? ifMatch, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false);
            if (current is null || (ifMatch is { } expected && current.ETag != expected))
            {
                return (null, false);
            }

            if (current.Listed == listed)
            {
                return (current, false);
            }

            var packageEvent = createEvent(current);
            try
            {
                await Table.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.UpdateMerge, new TableEntity(lowerId, lowerVersion) { ["Listed"] = listed }, current.ETag!.Value),
                        outbox.PendingRow(lowerId, packageEvent),
                    ],
                    cancellationToken).ConfigureAwait(false);
                await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                return (current, true);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                if (await outbox.IsPendingAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false))
                {
                    // Our own commit, whose response was lost: the resend met the ETag our change produced.
                    await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                    return (current, true);
                }

                // Changed or deleted under us: read again and decide on the fresh state.
            }
        }
    }

    /// <summary>Removes the row (the commit point) first, then the blobs, so nothing is ever listed without its bytes.</summary>
    public Task<PackageRecord?> DeleteAsync(
        string lowerId, string lowerVersion, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken) =>
        DeleteAsync(lowerId, lowerVersion, ifMatch: null, createEvent, cancellationToken);

    /// <summary>
    /// Removes the row (the commit point) first, then the blobs, so nothing is ever listed without its bytes. The
    /// deleted event names the blobs (<see cref="PackageEvent.Blobs"/>): should this process die, or storage fail,
    /// between the row and the blobs, the committed event still goes out (the outbox) and
    /// <see cref="DeletedPackageBlobsHandler"/> deletes what is left, so the next run finishes it.
    /// </summary>
    /// <param name="ifMatch">Only delete the row while it still has this ETag; a changed row is left alone (returns null).</param>
    public async Task<PackageRecord?> DeleteAsync(
        string lowerId, string lowerVersion, ETag? ifMatch, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false);
            if (current is null || (ifMatch is { } expected && current.ETag != expected))
            {
                return null;
            }

            string[] blobs = [.. current.BlobNames, PackageBlobNames.SymbolPackage(lowerId, lowerVersion)];
            var packageEvent = createEvent(current) with { Blobs = blobs };
            try
            {
                await Table.SubmitTransactionAsync(
                    [new(TableTransactionActionType.Delete, new TableEntity(lowerId, lowerVersion), current.ETag!.Value), outbox.PendingRow(lowerId, packageEvent)],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                // A resend of our own delete whose response was lost finds the row gone; only our pending event
                // row tells that apart from someone else's change.
                if (!await outbox.IsPendingAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false))
                {
                    if (ifMatch is not null)
                    {
                        return null;
                    }

                    continue;
                }
            }

            try
            {
                await DeleteBlobsAsync(blobs, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The delete committed: nothing may turn it into a failure. The event names the blobs, and its
                // handler deletes them (retried by the queue) once it is delivered.
                logger.LogWarning(ex, "Blobs of deleted {PackageId} {Version} not deleted yet; the package.deleted event's handler will", current.Id, current.Version);
            }

            await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    /// <summary>Deletes blobs that may or may not still exist (idempotent), in parallel.</summary>
    public Task DeleteBlobsAsync(IEnumerable<string> blobNames, CancellationToken cancellationToken) =>
        Task.WhenAll(blobNames.Select(name => storage.Packages.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken)));

    public async Task DeleteBlobsAsync(PackageRecord record, CancellationToken cancellationToken)
    {
        foreach (var name in record.BlobNames)
        {
            await storage.Packages.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<BlobDownloadStreamingResult> OpenPackageAsync(PackageRecord record, CancellationToken cancellationToken) =>
        await storage.Packages.GetBlobClient(record.BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The package's .nuspec, byte for byte. A push stores no .nuspec blob of its own (one storage write less per
    /// push): it is read from the .nupkg with range reads (the zip's central directory, then the entry), bounded as
    /// on push. Rows pushed before that still name their .nuspec blob, which is read instead.
    /// </summary>
    public async Task<byte[]> ReadNuspecAsync(PackageRecord record, CancellationToken cancellationToken)
    {
        const int limit = PackageReaderOptions.DefaultMaxNuspecBytes;
        if (!string.IsNullOrEmpty(record.NuspecBlobName))
        {
            using var download = await OpenBlobAsync(record.NuspecBlobName, cancellationToken).ConfigureAwait(false);
            return await BoundedReader.ReadAsync(download.Content, limit, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidPackageException($"The stored .nuspec exceeds {limit} bytes.");
        }

        var package = await storage.Packages.GetBlobClient(record.BlobName)
            .OpenReadAsync(new BlobOpenReadOptions(allowModifications: false) { BufferSize = NuspecReadBufferSize }, cancellationToken).ConfigureAwait(false);
        await using (package.ConfigureAwait(false))
        {
            return await PackageArchive.ReadRootNuspecAsync(package, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens one of the row's own blobs (readme, icon) by the name the row gives.</summary>
    public async Task<BlobDownloadStreamingResult> OpenBlobAsync(string blobName, CancellationToken cancellationToken) =>
        await storage.Packages.GetBlobClient(blobName).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>The readme's text, bounded on read as on push; null when the row names none or it is gone (deleted meanwhile).</summary>
    public async Task<string?> ReadReadmeAsync(PackageRecord record, int maxBytes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(record.ReadmeBlobName))
        {
            return null;
        }

        try
        {
            using var download = await OpenBlobAsync(record.ReadmeBlobName, cancellationToken).ConfigureAwait(false);
            var bytes = await BoundedReader.ReadAsync(download.Content, maxBytes, cancellationToken).ConfigureAwait(false);
            // Editors on Windows write a byte order mark, which is no part of the text.
            return bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Whether a .snupkg was pushed for this version (one HEAD; symbols have no row of their own).</summary>
    public async Task<bool> HasSymbolsAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken) =>
        (await storage.Packages.GetBlobClient(PackageBlobNames.SymbolPackage(lowerId, lowerVersion)).ExistsAsync(cancellationToken).ConfigureAwait(false)).Value;
}
