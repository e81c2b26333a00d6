using Azure;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using FeedFunctions.Storage;

namespace FeedFunctions.Symbols;

/// <summary>
/// The symbol index: each PDB is a blob of its own (under a name no other push uses, so a blob is only ever
/// referenced by the entry that was written for it) and a table entry per SSQP key, so a download is one partition
/// read plus one blob read.
/// <list type="bullet">
/// <item>Entry: partition <c>{key}|{file}</c>, row <c>{lowerId}|{lowerVersion}</c> (the package whose .snupkg held
/// it; several packages may carry the same PDB), with the blob name, checksum, length and time indexed.</item>
/// <item>Per package version, partition <c>~{lowerId}|{lowerVersion}</c>, row <c>{key}|{file}</c>: which entries the
/// version owns, so a re-push or a delete finds them without scanning. Written before the entries themselves, so a
/// crash can leave a stray ownership row (harmless) but never an entry nothing would remove.</item>
/// </list>
/// Order of writes: blob, then entry (an entry never points at nothing); on removal, entry, then blob.
/// Entries are replaced and removed under their ETag, so the blob an entry pointed at is deleted exactly by the one
/// writer that replaced or removed that entry.
/// </summary>
public sealed class SymbolIndex(FeedStorage storage, TimeProvider time, ILogger<SymbolIndex> logger)
{
    private const string OwnedPrefix = "~";
    private const int MaxBatch = 100;
    private const int SingleUploadLimit = 32 * 1024 * 1024;
    private const int BlockSize = 8 * 1024 * 1024;

    private TableClient Table => storage.SymbolIndexTable;

    /// <summary>The entries of one SSQP key and file, the earliest indexed first: one partition query.</summary>
    public async Task<IReadOnlyList<SymbolEntry>> FindAsync(string lowerKey, string lowerFile, CancellationToken cancellationToken)
    {
        var entries = new List<SymbolEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SymbolKey.Partition(lowerKey, lowerFile)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey", "BlobName", "Checksum", "Length", "IndexedAt"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (ToEntry(row) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries.OrderBy(e => e.IndexedAt).ThenBy(e => e.Owner, StringComparer.Ordinal).ToList();
    }

    /// <summary>Streams an entry's PDB (the SDK reads on as the response is written; nothing is buffered whole).</summary>
    public async Task<BlobDownloadStreamingResult> OpenAsync(SymbolEntry entry, CancellationToken cancellationToken) =>
        await storage.Symbols.GetBlobClient(entry.BlobName).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Makes <paramref name="pdbs"/> the package version's symbols: uploads and indexes each, then removes the
    /// entries of PDBs its previous .snupkg had and this one has not.
    /// </summary>
    public async Task ReplaceAsync(string lowerId, string lowerVersion, IReadOnlyList<SpooledPdb> pdbs, CancellationToken cancellationToken)
    {
        var owner = Owner(lowerId, lowerVersion);
        var indexedAt = time.GetUtcNow();
        var entries = new List<(string Partition, TableEntity Entity)>();
        foreach (var pdb in pdbs)
        {
            var blobName = $"{pdb.Key}/{Guid.NewGuid():N}/{pdb.FileName}";
            await UploadAsync(blobName, pdb.Content, cancellationToken).ConfigureAwait(false);
            var partition = SymbolKey.Partition(pdb.Key, pdb.FileName);
            entries.Add((partition, new TableEntity(partition, owner)
            {
                ["BlobName"] = blobName,
                ["Checksum"] = pdb.Identity.Checksum,
                ["Length"] = pdb.Content.Length,
                ["IndexedAt"] = indexedAt,
            }));
        }

        foreach (var chunk in entries.Chunk(MaxBatch))
        {
            await Table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(OwnedPartition(owner), e.Partition))),
                cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, entity) in entries)
        {
            await PutEntryAsync(entity, cancellationToken).ConfigureAwait(false);
        }

        var current = entries.Select(e => e.Partition).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in (await OwnedAsync(owner, cancellationToken).ConfigureAwait(false)).Where(p => !current.Contains(p)))
        {
            await RemoveAsync(stale, owner, indexedBefore: null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes a package version's entries and PDBs (idempotent). <paramref name="indexedBefore"/> keeps entries a
    /// later .snupkg push indexed (the version was pushed again after the deletion this removal belongs to).
    /// </summary>
    public async Task<int> RemovePackageAsync(string lowerId, string lowerVersion, DateTimeOffset? indexedBefore, CancellationToken cancellationToken)
    {
        var owner = Owner(lowerId, lowerVersion);
        var removed = 0;
        foreach (var partition in await OwnedAsync(owner, cancellationToken).ConfigureAwait(false))
        {
            if (await RemoveAsync(partition, owner, indexedBefore, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    private async Task UploadAsync(string blobName, FileStream content, CancellationToken cancellationToken)
    {
        content.Position = 0;
        try
        {
            await storage.Symbols.GetBlobClient(blobName).UploadAsync(content, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },

                // As for packages: one Put Blob for the usual PDB, blocks of bounded size above.
                TransferOptions = new StorageTransferOptions
                {
                    InitialTransferSize = SingleUploadLimit,
                    MaximumTransferSize = BlockSize,
                    MaximumConcurrency = 4,
                },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            // A name only this push uses: the retry policy resent a create whose response was lost.
        }
    }

    /// <summary>Adds or replaces one entry under its ETag; deletes the blob of the entry it replaced.</summary>
    private async Task PutEntryAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                if (!existing.HasValue)
                {
                    await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                    return;
                }

                await Table.UpdateEntityAsync(entity, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                // Someone else added, replaced or removed it meanwhile; decide again on the fresh state.
                continue;
            }

            if (existing.Value!.GetString("BlobName") is { } replaced && replaced != entity.GetString("BlobName"))
            {
                await DeleteBlobAsync(replaced, cancellationToken).ConfigureAwait(false);
            }

            return;
        }
    }

    /// <summary>Removes one entry (under its ETag), then its blob, then the ownership row. False when a newer entry was kept.</summary>
    private async Task<bool> RemoveAsync(string partition, string owner, DateTimeOffset? indexedBefore, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(partition, owner, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue)
            {
                break;
            }

            var entity = existing.Value!;
            if (indexedBefore is { } cutoff && entity.GetDateTimeOffset("IndexedAt") > cutoff)
            {
                return false;
            }

            try
            {
                await Table.DeleteEntityAsync(partition, owner, entity.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                continue;
            }

            if (entity.GetString("BlobName") is { } blobName)
            {
                await DeleteBlobAsync(blobName, cancellationToken).ConfigureAwait(false);
            }

            break;
        }

        await Table.DeleteEntityAsync(OwnedPartition(owner), partition, ETag.All, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task DeleteBlobAsync(string blobName, CancellationToken cancellationToken)
    {
        await storage.Symbols.GetBlobClient(blobName).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        logger.LogDebug("Deleted symbol blob {BlobName}", blobName);
    }

    private async Task<List<string>> OwnedAsync(string owner, CancellationToken cancellationToken)
    {
        var partitions = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {OwnedPartition(owner)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            partitions.Add(row.RowKey);
        }

        return partitions;
    }

    private static SymbolEntry? ToEntry(TableEntity row) =>
        row.GetString("BlobName") is { } blobName && row.GetString("Checksum") is { } checksum
            ? new SymbolEntry(row.RowKey, blobName, checksum, row.GetInt64("Length") ?? 0, row.GetDateTimeOffset("IndexedAt") ?? DateTimeOffset.MinValue)
            : null;

    private static string Owner(string lowerId, string lowerVersion) => $"{lowerId}|{lowerVersion}";

    private static string OwnedPartition(string owner) => OwnedPrefix + owner;
}
