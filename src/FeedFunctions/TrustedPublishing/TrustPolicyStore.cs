using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FeedFunctions.Auth;
using FeedFunctions.Storage;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Trust policies in Table Storage (partition "policy", row = policy name). Every token check needs the policies of
/// its issuer, so the whole (small, bounded) set is cached: adding or removing a policy takes effect within
/// <see cref="CacheDuration"/>, as a key revocation does.
/// </summary>
public sealed class TrustPolicyStore(FeedStorage storage, TimeProvider time)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(30);

    /// <summary>A feed has a handful of pipelines; the bound keeps every token check's scan small.</summary>
    public const int MaxPolicies = 500;

    private const string Partition = "policy";

    // A reference, so a reader never sees half of a refresh.
    private volatile Tuple<IReadOnlyList<TrustPolicy>, DateTimeOffset>? _cache;

    private TableClient Table => storage.TrustPoliciesTable;

    /// <exception cref="ArgumentException">The policy is invalid or one with its name exists.</exception>
    public async Task AddAsync(TrustPolicy policy, CancellationToken cancellationToken = default)
    {
        if (policy.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(policy));
        }

        if ((await ListAsync(cancellationToken).ConfigureAwait(false)).Count >= MaxPolicies)
        {
            throw new ArgumentException($"The feed holds {MaxPolicies} policies already; remove unused ones first.", nameof(policy));
        }

        try
        {
            await Table.AddEntityAsync(ToEntity(policy), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            throw new ArgumentException($"A policy named '{policy.Name}' exists; remove it first to replace it.", nameof(policy), ex);
        }

        _cache = null;
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!TrustPolicy.IsValidName(name))
        {
            return false;
        }

        var response = await Table.DeleteEntityAsync(Partition, name, ETag.All, cancellationToken).ConfigureAwait(false);
        _cache = null;
        return response.Status != 404;
    }

    /// <summary>One policy as stored now (not from the cache), or null.</summary>
    public async Task<TrustPolicy?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!TrustPolicy.IsValidName(name))
        {
            return null;
        }

        var response = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? FromEntity(entity) : null;
    }

    /// <summary>
    /// Records <paramref name="ids"/> on <paramref name="policy"/> unless its row has pinned ids already, checked against
    /// the row's ETag so that concurrent first tokens (on this instance or another) give one outcome: the first write
    /// wins, the others read the row again and get its ids. Returns the policy as stored afterwards (null when it was
    /// removed); the caller compares the token with the ids it holds.
    /// </summary>
    public async Task<TrustPolicy?> RecordPinnedIdsAsync(TrustPolicy policy, PinnedIds ids, CancellationToken cancellationToken = default)
    {
        var current = policy.ETag is null ? await GetAsync(policy.Name, cancellationToken).ConfigureAwait(false) : policy;
        for (var attempt = 1; ; attempt++)
        {
            if (current is null || !GitHubIdPinning.NeedsRecording(current))
            {
                return current;
            }

            var entity = new TableEntity(Partition, current.Name);
            SetPinned(entity, ids);
            try
            {
                var response = await Table.UpdateEntityAsync(entity, new ETag(current.ETag!), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                _cache = null;
                return current with { Pinned = ids, ETag = response.Headers.ETag?.ToString() };
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                _cache = null;
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                // Written meanwhile: most likely another token recorded its ids. Decide against the row as it is now.
                _cache = null;
                current = await GetAsync(current.Name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Every stored policy (at most <see cref="MaxPolicies"/>), from the cache when it is fresh.</summary>
    public async Task<IReadOnlyList<TrustPolicy>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_cache is { } cached && cached.Item2 > now)
        {
            return cached.Item1;
        }

        var policies = new List<TrustPolicy>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, maxPerPage: MaxPolicies, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (policies.Count == MaxPolicies)
            {
                break;
            }

            if (FromEntity(entity) is { } policy)
            {
                policies.Add(policy);
            }
        }

        _cache = Tuple.Create<IReadOnlyList<TrustPolicy>, DateTimeOffset>(policies, now + CacheDuration);
        return policies;
    }

    private static TableEntity ToEntity(TrustPolicy policy)
    {
        var entity = new TableEntity(Partition, policy.Name)
        {
            ["Issuer"] = policy.Issuer,
            ["Audience"] = policy.Audience,
            ["RequiredClaims"] = JsonSerializer.Serialize(policy.RequiredClaims),
            ["Scopes"] = policy.Scopes.ToString(),
            ["PackageGlobs"] = string.Join(',', policy.PackageGlobs),
            ["CreatedAt"] = policy.CreatedAt,
            ["OneTimeUse"] = policy.OneTimeUse,
            ["PinIds"] = policy.PinIds,
        };
        if (policy.ExpiresAt is { } expires)
        {
            entity["ExpiresAt"] = expires;
        }

        if (policy.User is { } user)
        {
            entity["User"] = user;
        }

        if (policy.Pinned is { } pinned)
        {
            SetPinned(entity, pinned);
        }

        return entity;
    }

    private static void SetPinned(TableEntity entity, PinnedIds ids)
    {
        entity["PinnedRepositoryId"] = ids.RepositoryId;
        entity["PinnedRepositoryOwnerId"] = ids.RepositoryOwnerId;
        entity["IdsPinnedAt"] = ids.PinnedAt;
    }

    /// <summary>A row that does not read back as a valid policy (edited by hand) is ignored rather than trusted.</summary>
    private static TrustPolicy? FromEntity(TableEntity entity)
    {
        try
        {
            var policy = new TrustPolicy(
                entity.RowKey,
                entity.GetString("Issuer") ?? string.Empty,
                entity.GetString("Audience") ?? string.Empty,
                JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("RequiredClaims") ?? "{}") ?? [],
                Enum.TryParse<ApiKeyScopes>(entity.GetString("Scopes"), out var scopes) ? scopes : ApiKeyScopes.None,
                (entity.GetString("PackageGlobs") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
                entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
                entity.GetDateTimeOffset("ExpiresAt"),
                entity.GetBoolean("OneTimeUse") ?? false,
                entity.GetString("User"),
                // Rows stored before pinning existed pin from their next token on: the safe default.
                entity.GetBoolean("PinIds") ?? true,
                entity.GetDateTimeOffset("IdsPinnedAt") is { } pinnedAt
                    ? new PinnedIds(entity.GetString("PinnedRepositoryId"), entity.GetString("PinnedRepositoryOwnerId"), pinnedAt)
                    : null)
            {
                ETag = entity.ETag.ToString(),
            };
            return policy.Validate() is null ? policy : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
