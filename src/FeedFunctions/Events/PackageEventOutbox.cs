using Azure.Data.Tables;
using FeedFunctions.Storage;

namespace FeedFunctions.Events;

/// <summary>
/// No lost events: every change commits a pending-event row in the package's own partition in the same entity
/// group transaction as the change itself. After the commit the event is sent to the queue and the row deleted;
/// if the process dies in between, <see cref="SweepAsync"/> (the timer function) finds the row and sends it.
/// </summary>
public sealed class PackageEventOutbox(FeedStorage storage, TimeProvider time, ILogger<PackageEventOutbox> logger)
{
    /// <summary>Sorts after every version row key (versions start with a digit), so version queries skip them.</summary>
    public const string RowKeyPrefix = "~evt~";

    public static readonly TimeSpan DefaultSweepAge = TimeSpan.FromMinutes(2);

    public TableTransactionAction PendingRow(string partitionKey, PackageEvent packageEvent) =>
        new(TableTransactionActionType.Add, new TableEntity(partitionKey, RowKeyPrefix + packageEvent.EventId)
        {
            ["Payload"] = PackageEventJson.Serialize(packageEvent),
            ["CreatedAt"] = time.GetUtcNow(),
        });

    /// <summary>
    /// Whether this event's pending row exists, i.e. whether the change it belongs to committed. Used when a
    /// commit's response was lost and the retry policy's resend then failed against our own committed change.
    /// </summary>
    public async Task<bool> IsPendingAsync(string partitionKey, PackageEvent packageEvent, CancellationToken cancellationToken) =>
        (await storage.PackagesTable.GetEntityIfExistsAsync<TableEntity>(partitionKey, RowKeyPrefix + packageEvent.EventId, ["RowKey"], cancellationToken)
            .ConfigureAwait(false)).HasValue;

    /// <summary>Sends a committed event. Never throws for storage trouble: the sweep delivers whatever is left.</summary>
    public async Task<bool> DispatchAsync(string partitionKey, PackageEvent packageEvent, CancellationToken cancellationToken)
    {
        try
        {
            await storage.EventsQueue.SendMessageAsync(PackageEventJson.Serialize(packageEvent), cancellationToken).ConfigureAwait(false);
            await storage.PackagesTable.DeleteEntityAsync(partitionKey, RowKeyPrefix + packageEvent.EventId, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // After the commit nothing may turn the push into a failure: whatever went wrong (storage errors,
            // network errors wrapped by the retry policy), the pending row stays and the sweep sends it.
            logger.LogWarning(ex, "Event {EventId} ({Type}) not sent yet; the outbox sweep will deliver it", packageEvent.EventId, packageEvent.Type);
            return false;
        }
    }

    /// <summary>Sends pending events older than <paramref name="olderThan"/>; returns how many were delivered.</summary>
    public async Task<int> SweepAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - olderThan;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {RowKeyPrefix} and RowKey lt {RowKeyPrefix + "~"}");
        var delivered = 0;
        await foreach (var row in storage.PackagesTable.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset("CreatedAt") is { } created && created > cutoff)
            {
                continue;
            }

            if (row.GetString("Payload") is not { } payload || PackageEventJson.Deserialize(payload) is not { } packageEvent)
            {
                logger.LogError("Dropping unreadable pending event row {PartitionKey}/{RowKey}", row.PartitionKey, row.RowKey);
                await storage.PackagesTable.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await DispatchAsync(row.PartitionKey, packageEvent, cancellationToken).ConfigureAwait(false))
            {
                logger.LogInformation("Outbox sweep delivered event {EventId} ({Type})", packageEvent.EventId, packageEvent.Type);
                delivered++;
            }
        }

        return delivered;
    }
}
