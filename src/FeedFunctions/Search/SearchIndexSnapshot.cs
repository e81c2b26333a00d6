using Azure.Data.Tables;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Search;

/// <summary>
/// This instance's in-memory copy of the search index. A read accepts the copy when its last refresh started at most
/// <see cref="SearchIndexOptions.RefreshInterval"/> ago; otherwise it waits for a refresh (concurrent reads share one)
/// that fetches only the rows changed since the newest change seen, less <see cref="Overlap"/>: one table request,
/// independent of the versions on the feed. The first refresh of an instance loads every row (one per id). Until the
/// index is complete (see <see cref="SearchIndexBuilder"/>) the copy is null and search scans the Packages table.
/// </summary>
public sealed class SearchIndexSnapshot(FeedStorage storage, SearchIndexBuilder builder, IOptions<SearchIndexOptions> options, TimeProvider time, ILogger<SearchIndexSnapshot> logger)
{
    /// <summary>
    /// How far back each refresh looks before the newest change it has seen, for writes whose server timestamp is
    /// older than one already seen but that became visible after it (writes in flight together).
    /// </summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SearchIndexEntry> _entries = new(StringComparer.Ordinal);
    private SearchIndexView? _view;
    private bool _hasResult;
    private long _resultStartedAt;
    private Task<SearchIndexView?>? _refresh;
    private long _refreshStartedAt;
    private DateTimeOffset? _newestChange;

    /// <summary>The index as of at most the refresh interval ago, or null while it is incomplete (scan instead).</summary>
    public async Task<SearchIndexView?> GetAsync(CancellationToken cancellationToken)
    {
        var needStartedAfter = time.GetTimestamp() - (long)(options.Value.RefreshInterval.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            Task<SearchIndexView?> refresh;
            bool fresh;
            lock (_gate)
            {
                if (_hasResult && _resultStartedAt >= needStartedAfter)
                {
                    return _view;
                }

                if (_refresh is null || _refresh.IsCompleted)
                {
                    _refreshStartedAt = time.GetTimestamp();
                    _refresh = RefreshAsync(_refreshStartedAt);
                }

                refresh = _refresh;
                fresh = _refreshStartedAt >= needStartedAfter;
            }

            // A refresh that started before this read may miss what the read must see: wait for it, then start one.
            var view = await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (fresh)
            {
                return view;
            }
        }
    }

    private async Task<SearchIndexView?> RefreshAsync(long startedAt)
    {
        // Shared by every waiting read, so no single read's cancellation may cancel it.
        var cancellationToken = CancellationToken.None;
        if (_view is null && !await builder.IsCompleteAsync(cancellationToken).ConfigureAwait(false))
        {
            lock (_gate)
            {
                (_hasResult, _resultStartedAt) = (true, startedAt);
                return null;
            }
        }

        var filter = _newestChange is { } newest
            ? TableClient.CreateQueryFilter($"PartitionKey eq {SearchIndexCodec.Partition} and Timestamp ge {newest - Overlap}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {SearchIndexCodec.Partition}");
        var changed = 0;
        var newestChange = _newestChange;
        var updates = new List<SearchIndexEntry>();
        await foreach (var row in storage.SearchIndexTable.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.Timestamp > newestChange)
            {
                newestChange = row.Timestamp;
            }

            newestChange ??= row.Timestamp;
            if (_entries.TryGetValue(row.RowKey, out var known) && known.ETag == row.ETag.ToString())
            {
                continue;
            }

            if (SearchIndexCodec.FromEntity(row) is { } entry)
            {
                updates.Add(entry with { ETag = row.ETag.ToString() });
                changed++;
            }
            else
            {
                logger.LogWarning("Search index row {Id} is unreadable; it is left out of search", row.RowKey);
            }
        }

        lock (_gate)
        {
            foreach (var entry in updates)
            {
                _entries[entry.LowerId] = entry;
            }

            _newestChange = newestChange;
            if (_view is null || changed > 0)
            {
                _view = new SearchIndexView(_entries.Values.Where(e => e.Classes.Any(c => c >= 0)).ToArray());
            }

            (_hasResult, _resultStartedAt) = (true, startedAt);
            return _view;
        }
    }
}
