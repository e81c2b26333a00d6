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
        };
        if (policy.ExpiresAt is { } expires)
        {
            entity["ExpiresAt"] = expires;
        }

        return entity;
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
                entity.GetBoolean("OneTimeUse") ?? false);
            return policy.Validate() is null ? policy : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
