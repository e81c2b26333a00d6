using Azure.Data.Tables;
using FeedFunctions.Packages;
using FeedFunctions.Storage;

namespace FeedFunctions.Retention;

/// <summary>
/// What the settings would remove now, changing nothing (<c>FeedAdmin retention preview</c>): every rule, over one id
/// or over the whole feed. The whole-feed preview reads every version row (the rules' columns only, 1,000 rows a
/// request): an operator's one-off, never something the app does.
/// </summary>
public sealed class RetentionPreview(FeedStorage storage, RetentionPinStore pins, RetentionOptions options, TimeProvider time)
{
    public async IAsyncEnumerable<RetentionRemoval> RunAsync(string? lowerId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        if (lowerId is not null)
        {
            foreach (var removal in await PlanAsync(await RetentionService.ReadVersionsAsync(storage.PackagesTable, lowerId, cancellationToken).ConfigureAwait(false), cancellationToken)
                         .ConfigureAwait(false))
            {
                yield return removal;
            }

            yield break;
        }

        // Rows come in partition order, so one id's versions are consecutive: one id in memory at a time.
        var current = new List<RetentionVersion>();
        string? partition = null;
        await foreach (var row in storage.PackagesTable.QueryAsync<TableEntity>(PackageRows.VersionRowsOnly, 1000, RetentionVersion.Columns, cancellationToken).ConfigureAwait(false))
        {
            if (row.PartitionKey != partition && current.Count > 0)
            {
                foreach (var removal in await PlanAsync(current, cancellationToken).ConfigureAwait(false))
                {
                    yield return removal;
                }

                current = [];
            }

            partition = row.PartitionKey;
            if (RetentionVersion.FromEntity(row) is { } version)
            {
                current.Add(version);
            }
        }

        foreach (var removal in await PlanAsync(current, cancellationToken).ConfigureAwait(false))
        {
            yield return removal;
        }
    }

    private async Task<IReadOnlyList<RetentionRemoval>> PlanAsync(IReadOnlyList<RetentionVersion> versions, CancellationToken cancellationToken)
    {
        if (versions.Count == 0 || options.IsExempt(versions[0].Id))
        {
            return [];
        }

        var pinned = await pins.PinnedVersionsAsync(versions[0].Id.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        return RetentionPlanner.Plan(versions, options, pinned, time.GetUtcNow());
    }
}
