using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FeedFunctions.Auth;
using FeedFunctions.Storage;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// One-time use of tokens: the first use of a <c>jti</c> inserts a row create-only, a second use conflicts (409).
/// Partition = the hour the token expires (UTC, <c>yyyyMMddHH</c>), so whole expired hours can be pruned; row = a
/// hash of issuer and <c>jti</c> (the jti is the issuer's string, not ours to store verbatim or trust as a key).
/// </summary>
public sealed class TokenUseLedger(FeedStorage storage, TimeProvider time)
{
    /// <summary>Bounds one prune run; the next run takes the rest.</summary>
    public const int MaxPrunedPerRun = 5_000;

    private TableClient Table => storage.TokenUsesTable;

    /// <summary>False when the token was used before.</summary>
    public async Task<bool> TryRecordAsync(string issuer, string tokenId, DateTimeOffset tokenExpires, string policy, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Partition(tokenExpires), RowKey(issuer, tokenId))
        {
            ["Policy"] = policy,
            ["TokenExpires"] = tokenExpires,
            ["UsedAt"] = time.GetUtcNow(),
        };
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes the rows of tokens that expired before <paramref name="olderThan"/> (a token past its exp plus the clock
    /// skew is refused anyway, so its row guards nothing). Returns how many rows were deleted.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {Partition(olderThan)}");
        var deleted = 0;
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await Table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            if (++deleted == MaxPrunedPerRun)
            {
                break;
            }
        }

        return deleted;
    }

    private static string Partition(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    private static string RowKey(string issuer, string tokenId) => ApiKeyHasher.HashHex(issuer + "\n" + tokenId);
}
