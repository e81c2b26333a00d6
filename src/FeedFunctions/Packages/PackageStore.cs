using Azure;
using FeedFunctions.Events;
using FeedFunctions.Storage;

namespace FeedFunctions.Packages;

/// <summary>
/// Package rows and blobs. Every state change is one entity group transaction in the package's partition that
/// also records its pending event (the outbox), so a change and its event commit together or not at all.
/// </summary>
public sealed class PackageStore(FeedStorage storage, PackageEventOutbox outbox)
{
    /// <summary>Version rows only: pending-event rows sort after '~'.</summary>
    private const string VersionRowsOnly = "RowKey lt '~'";

    private TableClient Table => storage.PackagesTable;

    public async Task<PackageRecord?> FindAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync(lowerId, lowerVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity is null ? null : PackageRecordMapper.FromEntity(entity);
    }

    public async Task<bool> IdExistsAsync(string lowerId, CancellationToken cancellationToken)
    {
        var page = await Table.QueryPageAsync(
            $"PartitionKey eq {TableFilter.Quote(lowerId)} and {VersionRowsOnly}", ["RowKey"], 1, null, cancellationToken).ConfigureAwait(false);
        if (page.Entities.Count > 0)
        {
            return true;
        }

        // A page can come back empty with a continuation; only the full query is authoritative then.
        return page.ContinuationToken is not null && (await ListVersionsAsync(lowerId, cancellationToken).ConfigureAwait(false)).Count > 0;
    }

    public async Task<IReadOnlyList<PackageRecord>> ListVersionsAsync(string lowerId, CancellationToken cancellationToken)
    {
        var records = new List<PackageRecord>();
        await foreach (var entity in Table.QueryAsync($"PartitionKey eq {TableFilter.Quote(lowerId)} and {VersionRowsOnly}", cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            records.Add(PackageRecordMapper.FromEntity(entity));
        }

        return records;
    }

    /// <summary>Create-only upload to this push's own folder; the MD5 lets storage verify the bytes it received.</summary>
    public Task UploadAsync(string blobName, Stream content, byte[] md5, string contentType, CancellationToken cancellationToken) =>
        CreateInOwnFolderAsync(() => storage.Packages.GetBlobClient(blobName).UploadAsync(
            content,
            new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly, ContentHash = md5, ContentType = contentType },
            cancellationToken));

    /// <summary>Stages a push's blocks while its body streams in (see <see cref="Publishing.PackageBlockStager"/>).</summary>
    public Publishing.PackageBlockStager CreateStager() => new(storage.Packages);

    /// <summary>Create-only commit of the blocks staged during the push; the MD5 becomes the blob's Content-MD5.</summary>
    public Task CommitStagedAsync(Publishing.StagedPackageBlob staged, byte[] md5, long length, CancellationToken cancellationToken) =>
        CreateInOwnFolderAsync(() => storage.Packages.GetBlobClient(staged.BlobName).CommitBlockListAsync(
            staged.BlockIds,
            md5,
            length,
            new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly, ContentHash = md5, ContentType = "application/octet-stream" },
            cancellationToken));

    /// <summary>
    /// Every push writes into a folder only it uses, so "already exists" there can only be this push's own earlier
    /// attempt: the retry policy resent a create whose response was lost, and the blob is already complete.
    /// </summary>
    private static async Task CreateInOwnFolderAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Is(409, StorageErrors.BlobAlreadyExists))
        {
        }
    }

    /// <summary>Commits a new version. False when the id+version already exists (someone else won).</summary>
    public async Task<bool> AddAsync(PackageRecord record, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(
                [TableTransactionAction.Add(PackageRecordMapper.ToEntity(record)), outbox.PendingRow(record.LowerId, packageEvent)],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Is(409, StorageErrors.EntityAlreadyExists))
        {
            return false;
        }
    }

    /// <summary>Overwrites a version whose row still has <paramref name="etag"/>. False when it changed meanwhile.</summary>
    public async Task<bool> ReplaceAsync(PackageRecord record, string etag, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    TableTransactionAction.Update(PackageRecordMapper.ToEntity(record), etag, TableUpdateMode.Replace),
                    outbox.PendingRow(record.LowerId, packageEvent),
                ],
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Sets the listed flag. Returns the previous record (null when absent) and whether this call changed it;
    /// only a change emits an event. ETag-checked, so concurrent calls serialize and the last write wins.
    /// </summary>
    public async Task<(PackageRecord? Before, bool Changed)> SetListedAsync(
        string lowerId, string lowerVersion, bool listed, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false);
            if (current is null)
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
                        TableTransactionAction.Update(new TableEntity(lowerId, lowerVersion) { ["Listed"] = listed }, current.ETag!, TableUpdateMode.Merge),
                        outbox.PendingRow(lowerId, packageEvent),
                    ],
                    cancellationToken).ConfigureAwait(false);
                await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                return (current, true);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
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
    public async Task<PackageRecord?> DeleteAsync(
        string lowerId, string lowerVersion, Func<PackageRecord, PackageEvent> createEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return null;
            }

            var packageEvent = createEvent(current);
            try
            {
                await Table.SubmitTransactionAsync(
                    [TableTransactionAction.Delete(lowerId, lowerVersion, current.ETag!), outbox.PendingRow(lowerId, packageEvent)],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // A resend of our own delete whose response was lost finds the row gone; only our pending event
                // row tells that apart from someone else's change.
                if (!await outbox.IsPendingAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }

            await DeleteBlobsAsync(current, cancellationToken).ConfigureAwait(false);
            await storage.Packages.GetBlobClient(PackageBlobNames.SymbolPackage(lowerId, lowerVersion))
                .DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
            return current;
        }
    }

    public async Task DeleteBlobsAsync(PackageRecord record, CancellationToken cancellationToken)
    {
        await storage.Packages.GetBlobClient(record.BlobName).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await storage.Packages.GetBlobClient(record.NuspecBlobName).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public Task<BlobDownloadStreamingResult> OpenPackageAsync(PackageRecord record, CancellationToken cancellationToken) =>
        storage.Packages.GetBlobClient(record.BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken);

    public Task<BlobDownloadStreamingResult> OpenNuspecAsync(PackageRecord record, CancellationToken cancellationToken) =>
        storage.Packages.GetBlobClient(record.NuspecBlobName).DownloadStreamingAsync(cancellationToken: cancellationToken);
}
