using Azure.Data.Tables;
using FeedFunctions.Packages;
using FeedFunctions.Storage;

namespace FeedFunctions.Retention;

/// <summary>
/// The RetentionPins table: partition = lowercase id, row = lowercase normalized version, so the rules read one
/// partition per id and the removal re-checks one row per version.
/// </summary>
public sealed class RetentionPinStore(FeedStorage storage, TimeProvider time)
{
    private TableClient Table => storage.RetentionPinsTable;

    /// <summary>Pins (idempotent: pinning again keeps the first time). Throws <see cref="ArgumentException"/> for a bad id or version.</summary>
    public async Task<RetentionPin> PinAsync(string id, string version, CancellationToken cancellationToken)
    {
        var key = Parse(id, version);
        var pin = new RetentionPin(key.Id, key.NormalizedVersion, time.GetUtcNow());
        try
        {
            await Table.AddEntityAsync(
                new TableEntity(key.LowerId, key.LowerVersion) { ["Id"] = pin.Id, ["Version"] = pin.Version, ["PinnedAt"] = pin.PinnedAt },
                cancellationToken).ConfigureAwait(false);
            return pin;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 409)
        {
            return (await FindAsync(key.LowerId, key.LowerVersion, cancellationToken).ConfigureAwait(false)) ?? pin;
        }
    }

    /// <summary>False when the version was not pinned.</summary>
    public async Task<bool> UnpinAsync(string id, string version, CancellationToken cancellationToken)
    {
        var key = Parse(id, version);
        using var response = await Table.DeleteEntityAsync(key.LowerId, key.LowerVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    public async Task<RetentionPin?> FindAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, lowerVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToPin(row.Value!) : null;
    }

    public async Task<bool> IsPinnedAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken) =>
        (await Table.GetEntityIfExistsAsync<TableEntity>(lowerId, lowerVersion, ["RowKey"], cancellationToken).ConfigureAwait(false)).HasValue;

    /// <summary>The pinned versions of one id (one partition query).</summary>
    public async Task<IReadOnlySet<string>> PinnedVersionsAsync(string lowerId, CancellationToken cancellationToken)
    {
        var versions = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {lowerId}"), select: ["RowKey"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            versions.Add(row.RowKey);
        }

        return versions;
    }

    /// <summary>Every pin, or one id's (pins are few: an operator adds them by hand).</summary>
    public async Task<IReadOnlyList<RetentionPin>> ListAsync(string? lowerId, CancellationToken cancellationToken)
    {
        var filter = lowerId is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {lowerId}");
        var pins = new List<RetentionPin>();
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pins.Add(ToPin(row));
        }

        return pins;
    }

    private static RetentionPin ToPin(TableEntity row) =>
        new(row.GetString("Id") ?? row.PartitionKey, row.GetString("Version") ?? row.RowKey, row.GetDateTimeOffset("PinnedAt") ?? DateTimeOffset.MinValue);

    private static PackageKey Parse(string id, string version) =>
        PackageKey.TryParse(id, version, out var key, out var error) ? key : throw new ArgumentException(error);
}
