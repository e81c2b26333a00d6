using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using FeedFunctions.Storage;

namespace FeedFunctions.Advisories;

/// <summary>
/// An advisory is a row in its package's own partition of the Packages table (<c>~adv~{advisoryId}</c>: after every
/// version, before the outbox rows, skipped by every "RowKey lt '~'" version query), so:
/// <list type="bullet">
/// <item>it commits with its pending event in one entity group transaction (the outbox), as every package change does;</item>
/// <item>registration and the package page read an id's versions and advisories in the one partition query they already make.</item>
/// </list>
/// The ids that have advisories are listed in the <see cref="IndexPartition"/> partition (never a package id: '~'), written
/// before the advisory itself, so rebuilding the snapshot reads that list and one small range query per listed id,
/// never the whole table.
/// </summary>
public sealed class AdvisoryStore(FeedStorage storage, PackageEventOutbox outbox, AdvisorySnapshot snapshot, TimeProvider time)
{
    public const string IndexPartition = "~advisories";

    public const string RowPrefix = "~adv~";

    private const string IndexRowPrefix = "~id~";

    private TableClient Table => storage.PackagesTable;

    /// <summary>Every advisory: the listed ids, then each id's advisory rows.</summary>
    public async Task<IReadOnlyList<Advisory>> ListAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {IndexPartition} and RowKey ge {IndexRowPrefix} and RowKey lt {IndexRowPrefix + "~"}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.RowKey[IndexRowPrefix.Length..]);
        }

        var perId = await Task.WhenAll(ids.Select(id => ListForIdAsync(id, cancellationToken))).ConfigureAwait(false);
        return perId.SelectMany(list => list).ToList();
    }

    /// <summary>One id's advisories: a range query over that id's advisory rows only.</summary>
    public async Task<IReadOnlyList<Advisory>> ListForIdAsync(string lowerId, CancellationToken cancellationToken)
    {
        var advisories = new List<Advisory>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {lowerId} and RowKey ge {RowPrefix} and RowKey lt {RowPrefix + "~"}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            advisories.Add(FromEntity(row));
        }

        return advisories;
    }

    /// <summary>
    /// An id's version rows (NuGet order) and its advisories in one partition query: what registration and the package
    /// page read, so advisories cost them no extra request.
    /// </summary>
    public async Task<(IReadOnlyList<Feed.VersionedRecord> Versions, IReadOnlyList<Advisory> Advisories)> LoadIdAsync(string id, CancellationToken cancellationToken)
    {
        if (!PackageIdentity.TryValidateId(id, out _))
        {
            return ([], []);
        }

        var lowerId = id.ToLowerInvariant();
        var records = new List<PackageRecord>();
        var advisories = new List<Advisory>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {lowerId} and (RowKey lt {"~"} or (RowKey ge {RowPrefix} and RowKey lt {RowPrefix + "~"}))");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(RowPrefix, StringComparison.Ordinal))
            {
                advisories.Add(FromEntity(row));
            }
            else
            {
                records.Add(PackageRecordMapper.FromEntity(row));
            }
        }

        return (Feed.PackageVersions.Sort(records), advisories);
    }

    /// <summary>
    /// One version row (a point read) and its id's advisories (a range query over them only), in parallel: the
    /// registration leaf. One query with an OR would scan the id's whole partition.
    /// </summary>
    public async Task<(PackageRecord? Record, IReadOnlyList<Advisory> Advisories)> LoadVersionAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        var advisories = ListForIdAsync(lowerId, cancellationToken);
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, lowerVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        var list = await advisories.ConfigureAwait(false);
        return (entity.HasValue ? PackageRecordMapper.FromEntity(entity.Value!) : null, list);
    }

    /// <summary>
    /// Adds an advisory for a package id on this feed. The advisory id is derived from the id and URL, so a retried add
    /// finds its own row (<see cref="AdvisoryAddStatus.Exists"/>), and one URL is listed once per id.
    /// </summary>
    public async Task<(AdvisoryAddStatus Status, Advisory? Advisory)> AddAsync(AdvisoryRequest request, string? keyName, CancellationToken cancellationToken)
    {
        var lowerId = request.PackageId.ToLowerInvariant();
        if (await FindDisplayIdAsync(lowerId, cancellationToken).ConfigureAwait(false) is not { } displayId)
        {
            return (AdvisoryAddStatus.UnknownId, null);
        }

        var advisory = new Advisory(AdvisoryIdFor(lowerId, request.Url), displayId, request.Versions, request.Severity, request.Url, time.GetUtcNow(), keyName);
        var packageEvent = PackageEvent.Create(PackageEventType.AdvisoryAdded, displayId, advisory.Versions, null, null, keyName, advisory.Created) with
        {
            Details = advisory.EventDetails(),
        };

        // Listed first: a snapshot rebuilt after the commit below must find the id.
        await Table.UpsertEntityAsync(new TableEntity(IndexPartition, IndexRowPrefix + lowerId), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        try
        {
            await Table.SubmitTransactionAsync([new(TableTransactionActionType.Add, ToEntity(advisory)), outbox.PendingRow(lowerId, packageEvent)], cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            var existing = await FindAsync(lowerId, advisory.AdvisoryId, cancellationToken).ConfigureAwait(false);
            if (await outbox.IsPendingAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false))
            {
                // Our own add, whose response was lost and which the retry policy sent again.
                await CompleteAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                return (AdvisoryAddStatus.Created, existing);
            }

            return existing is not null && existing.Versions == advisory.Versions && existing.Severity == advisory.Severity
                ? (AdvisoryAddStatus.Exists, existing)
                : (AdvisoryAddStatus.Conflict, existing);
        }

        await CompleteAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
        return (AdvisoryAddStatus.Created, advisory);
    }

    /// <summary>The advisory with this id, wherever it is (advisory ids do not name their package).</summary>
    public async Task<Advisory?> FindByIdAsync(string advisoryId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => string.Equals(a.AdvisoryId, advisoryId.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Removes an advisory by its id; null when there is none.</summary>
    public async Task<Advisory?> RemoveAsync(string advisoryId, string? keyName, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await FindByIdAsync(advisoryId, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return null;
            }

            var lowerId = found.LowerId;
            var row = await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, RowPrefix + found.AdvisoryId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!row.HasValue)
            {
                continue;
            }

            var packageEvent = PackageEvent.Create(PackageEventType.AdvisoryRemoved, found.PackageId, found.Versions, null, null, keyName, time.GetUtcNow()) with
            {
                Details = found.EventDetails(),
            };
            try
            {
                await Table.SubmitTransactionAsync(
                    [new(TableTransactionActionType.Delete, new TableEntity(lowerId, row.Value!.RowKey), row.Value.ETag), outbox.PendingRow(lowerId, packageEvent)],
                    cancellationToken).ConfigureAwait(false);
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412)
            {
                if (!await outbox.IsPendingAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }

            await CompleteAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);
            return found;
        }
    }

    /// <summary>After the commit: send the event, then rewrite the snapshot so restore sees the change at once.</summary>
    private async Task CompleteAsync(string lowerId, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        await outbox.DispatchAsync(lowerId, packageEvent, cancellationToken).ConfigureAwait(false);

        // The event's handler rebuilds it as well, so a process that dies here leaves it stale only until the outbox
        // sweep delivers the event.
        await snapshot.RebuildAsync(this, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Advisory?> FindAsync(string lowerId, string advisoryId, CancellationToken cancellationToken)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, RowPrefix + advisoryId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? FromEntity(entity.Value!) : null;
    }

    /// <summary>The id as it was pushed (from any one version row); null when the feed has no version of it.</summary>
    private async Task<string?> FindDisplayIdAsync(string lowerId, CancellationToken cancellationToken)
    {
        await foreach (var entity in Table.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), maxPerPage: 1, select: ["PartitionKey", "Id"], cancellationToken)
                           .ConfigureAwait(false))
        {
            return entity.GetString("Id") ?? lowerId;
        }

        return null;
    }

    private static string AdvisoryIdFor(string lowerId, string url) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lowerId + "\n" + url)))[..16];

    private static TableEntity ToEntity(Advisory advisory)
    {
        var entity = new TableEntity(advisory.LowerId, RowPrefix + advisory.AdvisoryId)
        {
            ["AdvisoryId"] = advisory.AdvisoryId,
            ["PackageId"] = advisory.PackageId,
            ["Versions"] = advisory.Versions,
            ["Severity"] = advisory.Severity,
            ["Url"] = advisory.Url,
            ["Created"] = advisory.Created,
        };
        if (advisory.CreatedBy is { } by)
        {
            entity["CreatedBy"] = by;
        }

        return entity;
    }

    private static Advisory FromEntity(TableEntity entity) => new(
        entity.GetString("AdvisoryId") ?? entity.RowKey[RowPrefix.Length..],
        entity.GetString("PackageId") ?? entity.PartitionKey,
        entity.GetString("Versions") ?? string.Empty,
        entity.GetInt32("Severity") ?? 0,
        entity.GetString("Url") ?? string.Empty,
        entity.GetDateTimeOffset("Created") ?? DateTimeOffset.MinValue,
        entity.GetString("CreatedBy"));

    internal static string Format(Advisory advisory) =>
        string.Create(CultureInfo.InvariantCulture, $"{advisory.AdvisoryId}  {advisory.PackageId} {advisory.Versions}  {AdvisorySeverity.Name(advisory.Severity)}  {advisory.Url}");
}
