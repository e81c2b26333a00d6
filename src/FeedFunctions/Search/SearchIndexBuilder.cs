using Azure;
using Azure.Data.Tables;
using FeedFunctions.Packages;
using FeedFunctions.Storage;

namespace FeedFunctions.Search;

/// <summary>
/// Builds the index from the Packages table, id by id, while pushes go on: each id is refreshed exactly as an event
/// would refresh it, so a build and the events converge whatever their order. Progress (the last id done) is kept in
/// a marker row with a lease, so a run that dies is resumed where it stopped, one run works at a time, and the
/// marker's <c>Complete</c> tells readers when the index holds every id (until then search scans the table).
/// <para>
/// Finding the next id is one query per id (<c>PartitionKey gt last</c>, one row): the whole build reads every
/// version row once, through the per-id refresh, so it is O(versions) once; it is not on any read path.
/// </para>
/// </summary>
public sealed class SearchIndexBuilder(FeedStorage storage, SearchIndexWriter writer, TimeProvider time, ILogger<SearchIndexBuilder> logger)
{
    public const string MetaPartition = "~meta";
    public const string BuildRow = "build";

    /// <summary>A run renews its lease with its progress; a run that stops renewing is taken over after this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private const int SaveEveryIds = 50;
    private static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(10);

    private TableClient Table => storage.SearchIndexTable;

    public async Task<bool> IsCompleteAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, BuildRow, ["Complete"], cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetBoolean("Complete") == true;
    }

    /// <param name="restart">Start from the first id even when an earlier run stopped half-way.</param>
    /// <param name="progress">Told every id done (for the CLI).</param>
    public async Task<SearchIndexBuildResult> RunAsync(bool restart, Action<string>? progress, CancellationToken cancellationToken)
    {
        var owner = Guid.NewGuid().ToString("N");
        var claim = await ClaimAsync(owner, restart, cancellationToken).ConfigureAwait(false);
        if (claim.Busy is { } busy)
        {
            return busy;
        }

        var (cursor, etag) = (claim.Cursor, claim.ETag);
        var indexed = 0;
        var lastSave = time.GetTimestamp();
        logger.LogInformation("Search index build {Owner} starts after '{Cursor}'", owner, cursor);
        while (await NextIdAsync(cursor, cancellationToken).ConfigureAwait(false) is { } lowerId)
        {
            await writer.RefreshAsync(lowerId, cancellationToken).ConfigureAwait(false);
            cursor = lowerId;
            indexed++;
            progress?.Invoke(lowerId);
            if (indexed % SaveEveryIds == 0 || time.GetElapsedTime(lastSave) > SaveEvery)
            {
                if (await SaveAsync(owner, cursor, complete: false, etag, cancellationToken).ConfigureAwait(false) is not { } saved)
                {
                    logger.LogWarning("Search index build {Owner} lost its lease after '{Cursor}'; another run goes on", owner, cursor);
                    return new SearchIndexBuildResult(false, indexed, "another run");
                }

                etag = saved;
                lastSave = time.GetTimestamp();
            }
        }

        if (await SaveAsync(owner, string.Empty, complete: true, etag, cancellationToken).ConfigureAwait(false) is null)
        {
            return new SearchIndexBuildResult(false, indexed, "another run");
        }

        logger.LogInformation("Search index build {Owner} complete: {Count} id(s) indexed", owner, indexed);
        return new SearchIndexBuildResult(true, indexed);
    }

    /// <summary>The first id after <paramref name="cursor"/> with a version row (ids only made of pending events are skipped).</summary>
    private async Task<string?> NextIdAsync(string cursor, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {cursor} and RowKey lt {"~"}");

        // Pages can come back empty with a continuation, so the first row of the whole query decides.
        await foreach (var row in storage.PackagesTable.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["PartitionKey"], cancellationToken)
                           .ConfigureAwait(false))
        {
            return row.PartitionKey;
        }

        return null;
    }

    private async Task<(SearchIndexBuildResult? Busy, string Cursor, ETag ETag)> ClaimAsync(string owner, bool restart, CancellationToken cancellationToken)
    {
        while (true)
        {
            var existing = await Table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, BuildRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue)
            {
                try
                {
                    await Table.AddEntityAsync(new TableEntity(MetaPartition, BuildRow) { ["Complete"] = false, ["Cursor"] = string.Empty }, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                }

                continue;
            }

            var state = existing.Value!;
            var heldBy = state.GetString("LeaseOwner");
            var heldUntil = state.GetDateTimeOffset("LeaseUntil");
            if (!string.IsNullOrEmpty(heldBy) && heldUntil > time.GetUtcNow())
            {
                return (new SearchIndexBuildResult(false, 0, heldBy, heldUntil), string.Empty, default);
            }

            var cursor = restart ? string.Empty : state.GetString("Cursor") ?? string.Empty;
            state["Cursor"] = cursor;
            state["LeaseOwner"] = owner;
            state["LeaseUntil"] = time.GetUtcNow() + Lease;
            try
            {
                var response = await Table.UpdateEntityAsync(state, state.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return (null, cursor, response.Headers.ETag ?? default);
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                // Claimed (or changed) by another run meanwhile: look again.
            }
        }
    }

    /// <summary>Records progress and renews the lease (or, when complete, releases it); null when the lease was lost.</summary>
    private async Task<ETag?> SaveAsync(string owner, string cursor, bool complete, ETag etag, CancellationToken cancellationToken)
    {
        var existing = await Table.GetEntityIfExistsAsync<TableEntity>(MetaPartition, BuildRow, ["Complete"], cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(MetaPartition, BuildRow)
        {
            // A rebuild of a complete index keeps it complete: readers go on using it while it is refreshed.
            ["Complete"] = complete || (existing.HasValue && existing.Value!.GetBoolean("Complete") == true),
            ["Cursor"] = cursor,
            ["LeaseOwner"] = complete ? string.Empty : owner,
            ["LeaseUntil"] = complete ? time.GetUtcNow() : time.GetUtcNow() + Lease,
        };
        if (complete)
        {
            entity["CompletedAt"] = time.GetUtcNow();
        }

        try
        {
            var response = await Table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag ?? default;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return null;
        }
    }
}
