using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FeedFunctions.Storage;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Auth;

/// <summary>
/// Scoped API keys in Table Storage (partition "key", row = key id). Lookups are cached briefly so a push
/// does not pay a table read; a revocation therefore takes effect within <see cref="CacheDuration"/>.
/// </summary>
public sealed class ApiKeyStore(FeedStorage storage, TimeProvider time)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    private const string Partition = "key";
    private const int MaxCachedKeys = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, DateTimeOffset Expires)> _cache = new();

    private TableClient Table => storage.ApiKeysTable;

    public Task<(ApiKeyRecord Record, string Key)> CreateAsync(
        string name, ApiKeyScopes scopes, IReadOnlyList<string> packageGlobs, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default) =>
        CreateAsync(name, scopes, packageGlobs, expiresAt, trustedPublisher: null, cancellationToken);

    /// <param name="trustedPublisher">For a key exchanged for an OIDC token: recorded with the key, carried into its events.</param>
    public async Task<(ApiKeyRecord Record, string Key)> CreateAsync(
        string name, ApiKeyScopes scopes, IReadOnlyList<string> packageGlobs, DateTimeOffset? expiresAt, TrustedPublisher? trustedPublisher,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (packageGlobs.FirstOrDefault(g => !PackageIdGlob.IsValid(g)) is { } bad)
        {
            throw new ArgumentException($"'{bad}' is not a valid package id glob.", nameof(packageGlobs));
        }

        var (keyId, key) = ApiKeyHasher.Generate();
        var record = new ApiKeyRecord(keyId, name, ApiKeyHasher.HashHex(key), scopes, packageGlobs, time.GetUtcNow(), expiresAt, Revoked: false, trustedPublisher);
        await Table.AddEntityAsync(ToEntity(record), cancellationToken).ConfigureAwait(false);
        return (record, key);
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<ApiKeyRecord>();
        await foreach (var entity in Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            records.Add(FromEntity(entity));
        }

        return records;
    }

    /// <summary>Revokes by key id or by name; returns how many keys were revoked.</summary>
    public async Task<int> RevokeAsync(string keyIdOrName, CancellationToken cancellationToken = default)
    {
        var revoked = 0;
        foreach (var record in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!record.Revoked && (record.KeyId == keyIdOrName || string.Equals(record.Name, keyIdOrName, StringComparison.Ordinal)))
            {
                await Table.UpsertEntityAsync(ToEntity(record with { Revoked = true }), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                _cache.TryRemove(record.KeyId, out _);
                revoked++;
            }
        }

        return revoked;
    }

    /// <summary>
    /// Deletes exchanged (trusted publishing) keys that expired before <paramref name="expiredBefore"/>: one is made per
    /// pipeline run, and an expired one only takes room in <c>keys list</c>. Returns how many were deleted (at most
    /// <paramref name="max"/>).
    /// </summary>
    public async Task<int> PruneExchangedKeysAsync(DateTimeOffset expiredBefore, int max, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and ExpiresAt lt {expiredBefore}");
        var deleted = 0;
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey", "TrustedPublisher"], cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            if (deleted == max)
            {
                break;
            }

            if (entity.GetString("TrustedPublisher") is { Length: > 0 })
            {
                await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
                _cache.TryRemove(entity.RowKey, out _);
                deleted++;
            }
        }

        return deleted;
    }

    public async Task<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(keyId, out var cached) && cached.Expires > now)
        {
            return cached.Record;
        }

        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, keyId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var record = entity.HasValue ? FromEntity(entity.Value!) : null;
        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear();
        }

        _cache[keyId] = (record, now + CacheDuration);
        return record;
    }

    private static TableEntity ToEntity(ApiKeyRecord record)
    {
        var entity = new TableEntity(Partition, record.KeyId)
        {
            ["Name"] = record.Name,
            ["SecretHash"] = record.SecretHash,
            ["Scopes"] = record.Scopes.ToString(),
            ["PackageGlobs"] = string.Join(',', record.PackageGlobs),
            ["CreatedAt"] = record.CreatedAt,
            ["Revoked"] = record.Revoked,
        };
        if (record.ExpiresAt is { } expires)
        {
            entity["ExpiresAt"] = expires;
        }

        if (record.TrustedPublisher is { } trusted)
        {
            entity["TrustedPublisher"] = JsonSerializer.Serialize(trusted);
        }

        return entity;
    }

    private static ApiKeyRecord FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Name") ?? string.Empty,
        entity.GetString("SecretHash") ?? string.Empty,
        Enum.TryParse<ApiKeyScopes>(entity.GetString("Scopes"), out var scopes) ? scopes : ApiKeyScopes.None,
        (entity.GetString("PackageGlobs") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
        entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        entity.GetDateTimeOffset("ExpiresAt"),
        entity.GetBoolean("Revoked") ?? false,
        TrustedPublisherJson.Deserialize(entity.GetString("TrustedPublisher")));
}
