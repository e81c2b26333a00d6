using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Retention;

/// <summary>
/// Applies the rules to one id: reads its version rows (only the columns the rules need) and its pins, plans
/// (<see cref="RetentionPlanner"/>), and removes through the feed's own delete or unlist, ETag-checked against the
/// row the plan read. So a version overwritten or changed meanwhile is left for the next run, two runs on one id
/// remove each version once, and every removal commits with its event (the outbox), whose reason names the rule.
/// </summary>
public sealed class RetentionService(
    FeedStorage storage, PackageStore store, RetentionPinStore pins, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
{
    /// <summary>Ids handled at once by the daily run.</summary>
    private const int DailyParallelism = 4;

    public RetentionOptions Options => options.Value;

    /// <summary>One id's version rows, the rules' columns only.</summary>
    public static async Task<IReadOnlyList<RetentionVersion>> ReadVersionsAsync(TableClient table, string lowerId, CancellationToken cancellationToken)
    {
        var versions = new List<RetentionVersion>();
        await foreach (var row in table.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), select: RetentionVersion.Columns, cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (RetentionVersion.FromEntity(row) is { } version)
            {
                versions.Add(version);
            }
        }

        return versions;
    }

    public async Task<IReadOnlyList<RetentionRemoval>> PlanAsync(string lowerId, bool ageRuleOnly, CancellationToken cancellationToken)
    {
        if (!Options.Enabled)
        {
            return [];
        }

        var versions = await ReadVersionsAsync(storage.PackagesTable, lowerId, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0 || Options.IsExempt(versions[0].Id))
        {
            return [];
        }

        var pinned = await pins.PinnedVersionsAsync(lowerId, cancellationToken).ConfigureAwait(false);
        return RetentionPlanner.Plan(versions, Options, pinned, time.GetUtcNow(), ageRuleOnly);
    }

    /// <summary>Plans and removes; returns how many versions this call removed.</summary>
    public async Task<int> ApplyAsync(string lowerId, bool ageRuleOnly, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var removal in await PlanAsync(lowerId, ageRuleOnly, cancellationToken).ConfigureAwait(false))
        {
            if (await RemoveAsync(lowerId, removal, cancellationToken).ConfigureAwait(false))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>
    /// The daily age rule over every id. Finding the ids is one query whose filter storage applies (old prerelease
    /// rows only) and whose answer is the partition key alone: storage still walks the table, but only candidates
    /// travel, 1,000 a page. Then one partition query per id found.
    /// </summary>
    public async Task<int> ApplyAgeRuleAsync(CancellationToken cancellationToken)
    {
        if (Options.PrereleaseMaxAge is not { } maxAge)
        {
            return 0;
        }

        var cutoff = time.GetUtcNow() - (maxAge > Options.MinimumAge ? maxAge : Options.MinimumAge);
        var filter = TableClient.CreateQueryFilter($"RowKey lt {"~"} and IsPrerelease eq {true} and Published lt {cutoff}");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in storage.PackagesTable.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (!Options.IsExempt(row.PartitionKey))
            {
                ids.Add(row.PartitionKey);
            }
        }

        var removed = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = DailyParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
            Interlocked.Add(ref removed, await ApplyAsync(id, ageRuleOnly: true, ct).ConfigureAwait(false))).ConfigureAwait(false);
        return removed;
    }

    private async Task<bool> RemoveAsync(string lowerId, RetentionRemoval removal, CancellationToken cancellationToken)
    {
        var version = removal.Version;

        // Pinned since the plan read the pins: one point read narrows the window to this request.
        if (await pins.IsPinnedAsync(lowerId, version.LowerVersion, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        PackageEvent NewEvent(string type, PackageRecord record)
        {
            var created = PackageEvent.Create(type, record.Id, record.Version, record.Size, record.Sha512, keyName: null, time.GetUtcNow());
            return created with { Reason = PackageEventReason.Retention(removal.Rule) };
        }

        bool done;
        if (Options.Action == RetentionAction.Delete)
        {
            done = await store.DeleteAsync(lowerId, version.LowerVersion, version.ETag, r => NewEvent(PackageEventType.Deleted, r), cancellationToken)
                .ConfigureAwait(false) is not null;
        }
        else
        {
            (_, done) = await store.SetListedAsync(lowerId, version.LowerVersion, listed: false, version.ETag, r => NewEvent(PackageEventType.Unlisted, r), cancellationToken)
                .ConfigureAwait(false);
        }

        if (done)
        {
            logger.LogInformation(
                "Retention {Action} {PackageId} {Version} ({Rule})", Options.Action == RetentionAction.Delete ? "deleted" : "unlisted", version.Id, version.Version, removal.Rule);
        }

        return done;
    }
}
