using Azure;
using Azure.Data.Tables;
using FeedFunctions.Packages;
using FeedFunctions.Storage;
using NuGet.Versioning;

namespace FeedFunctions.Search;

/// <summary>
/// Recomputes one id's index entry from the source of truth (the id's partition in the Packages table) and stores it
/// with an ETag check: read the entry's ETag, then the truth, then write If-Match (or add-if-absent). A write that
/// succeeds was computed from a truth read after every earlier write of the entry, so repeated, reordered and
/// concurrent events of one id (on any number of instances) converge on the id's current state.
/// </summary>
public sealed class SearchIndexWriter(FeedStorage storage, ILogger<SearchIndexWriter> logger)
{
    /// <summary>Attempts before the event fails (and the queue retries it later).</summary>
    public const int MaxAttempts = 10;

    /// <summary>Only what tells visibility and order: every version of the id is read, so no catalog entries.</summary>
    private static readonly string[] KeyColumns = ["RowKey", "Version", "FullVersion", "Listed", "IsPrerelease", "IsSemVer2"];

    /// <summary>What an entry shows of a latest version (at most one read per visibility class).</summary>
    private static readonly string[] LatestColumns =
    [
        "PartitionKey", "RowKey", "Id", "Version", "FullVersion", "Listed", "IsPrerelease", "IsSemVer2",
        "CatalogJson", "Description", "Tags", "Authors", "Title", "IconBlobName",
    ];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SearchIndexRefreshFlight> _flights = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings the entry of <paramref name="packageId"/> up to date; false for an id that cannot exist. On one instance
    /// refreshes of an id run one at a time and coalesce: a call made while one runs joins the next one (which
    /// starts after, so it reads rows written before the call), never the running one (which may have read them
    /// before). So a burst of events for one id costs two refreshes on an instance, not one per event, and the ETag
    /// loop is left with the instances' own collisions.
    /// </summary>
    public async Task<bool> RefreshAsync(string packageId, CancellationToken cancellationToken)
    {
        if (!PackageIdentity.TryValidateId(packageId, out _))
        {
            return false;
        }

        var lowerId = packageId.ToLowerInvariant();
        Task refresh;
        lock (_gate)
        {
            if (!_flights.TryGetValue(lowerId, out var flight))
            {
                flight = new SearchIndexRefreshFlight();
                _flights[lowerId] = flight;
                refresh = flight.Running = RunAsync(lowerId, flight, previous: null);
            }
            else
            {
                refresh = flight.Next ??= RunAsync(lowerId, flight, flight.Running);
            }
        }

        await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>One refresh of an id, after the one before it; shared by every caller that joined it, so no caller's cancellation stops it.</summary>
    private async Task RunAsync(string lowerId, SearchIndexRefreshFlight flight, Task? previous)
    {
        // Always yield first: the caller assigns this task under the lock, and the promotion below takes that lock.
        await Task.Yield();
        if (previous is not null)
        {
            try
            {
                await previous.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Its own callers saw the failure; this refresh starts afresh.
            }

            lock (_gate)
            {
                flight.Running = flight.Next!;
                flight.Next = null;
            }
        }

        try
        {
            await RefreshNowAsync(lowerId, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (flight.Next is null)
                {
                    _flights.Remove(lowerId);
                }
            }
        }
    }

    private async Task RefreshNowAsync(string lowerId, CancellationToken cancellationToken)
    {
        var table = storage.SearchIndexTable;
        for (var attempt = 1; ; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(SearchIndexCodec.Partition, lowerId, ["RowKey"], cancellationToken).ConfigureAwait(false);
            var entry = await ComputeAsync(lowerId, cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                var entity = SearchIndexCodec.ToEntity(entry);
                try
                {
                    if (current.HasValue)
                    {
                        await table.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }
                catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
                {
                    // Another writer got there between our ETag read and our write: read again, truth included.
                }
            }

            if (attempt >= MaxAttempts)
            {
                throw new InvalidOperationException($"The search index entry of '{lowerId}' kept changing under {MaxAttempts} attempts; the event will be retried.");
            }

            logger.LogDebug("Search index entry of {Id} changed meanwhile (attempt {Attempt})", lowerId, attempt);

            // Jittered, growing pauses so writers of one hot id stop colliding.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The entry the id's rows make now; null when a row changed between the two reads (try again).</summary>
    public async Task<SearchIndexEntry?> ComputeAsync(string lowerId, CancellationToken cancellationToken)
    {
        var listed = new List<(NuGetVersion Parsed, SearchIndexVersion Version, string RowKey, ETag ETag)>();
        await foreach (var row in storage.PackagesTable.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), 1000, KeyColumns, cancellationToken)
                           .ConfigureAwait(false))
        {
            var version = row.GetString("Version") ?? row.RowKey;
            if (row.GetBoolean("Listed") == false || !NuGetVersion.TryParse(version, out var parsed))
            {
                continue;
            }

            var visibility = SearchIndexClass.Of(row.GetBoolean("IsPrerelease") ?? false, row.GetBoolean("IsSemVer2") ?? false);
            listed.Add((parsed, new SearchIndexVersion(version, row.GetString("FullVersion") ?? version, visibility), row.RowKey, row.ETag));
        }

        if (listed.Count == 0)
        {
            return SearchIndexEntry.Tombstone(lowerId);
        }

        listed.Sort((a, b) => a.Parsed.CompareTo(b.Parsed));
        var latestRows = new string?[SearchIndexClass.Count];
        for (var queryClass = 0; queryClass < SearchIndexClass.Count; queryClass++)
        {
            latestRows[queryClass] = listed.LastOrDefault(v => v.Version.IsVisibleTo(queryClass)).RowKey;
        }

        var distinct = latestRows.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var rows = await Task.WhenAll(distinct.Select(rowKey =>
            storage.PackagesTable.GetEntityIfExistsAsync<TableEntity>(lowerId, rowKey, LatestColumns, cancellationToken))).ConfigureAwait(false);

        // A latest row overwritten, unlisted or deleted between the two reads: its class may have changed too.
        var etags = listed.ToDictionary(v => v.RowKey, v => v.ETag, StringComparer.Ordinal);
        if (rows.Any(r => !r.HasValue || r.Value!.ETag != etags[r.Value.RowKey]))
        {
            return null;
        }

        return new SearchIndexEntry
        {
            LowerId = lowerId,
            Latest = rows.Select(r => SearchIndexLatestFactory.Create(PackageRecordMapper.FromEntity(r.Value!))).ToList(),
            Classes = latestRows.Select(rowKey => rowKey is null ? -1 : distinct.IndexOf(rowKey)).ToList(),
            Versions = listed.Select(v => v.Version).ToList(),
        };
    }

}
