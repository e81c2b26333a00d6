using Azure.Data.Tables;
using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.TrustedPublishing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>An in-process feed that trusts loopback issuers, trust policies shaped like a GitHub Actions set-up, and the checks every refusal makes.</summary>
internal static class TrustedFeed
{
    public const string Audience = "https://feed.example.test/contoso";

    public static Task<FeedAppHost> StartAsync(Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Feed:TrustedPublishing:AllowHttpLoopbackIssuers"] = "true",
            ["Feed:TrustedPublishing:UnknownKeyRefreshInterval"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return FeedAppHost.StartAsync(all, services);
    }

    /// <summary>repository (exact) + ref, and environment when given: what the README recommends for a release workflow.</summary>
    public static TrustPolicy GitHubPolicy(
        TestOidcIssuer issuer, string name = "contoso-lib", string repository = "contoso/lib", string gitRef = "refs/heads/main", string? environment = null,
        string[]? globs = null, ApiKeyScopes scopes = ApiKeyScopes.Push, bool oneTimeUse = false, string audience = Audience, DateTimeOffset? expires = null)
    {
        var claims = new Dictionary<string, string> { ["repository"] = repository, ["ref"] = gitRef };
        if (environment is not null)
        {
            claims["environment"] = environment;
        }

        return new TrustPolicy(name, issuer.Issuer, audience, claims, scopes, globs ?? ["Contoso.*"], DateTimeOffset.UtcNow, expires, oneTimeUse);
    }

    public static async Task AddPolicyAsync(IServiceProvider services, TrustPolicy policy) =>
        await services.GetRequiredService<TrustPolicyStore>().AddAsync(policy);

    /// <summary>No package row, no blob, no key, no recorded token use: a refused token changed nothing.</summary>
    public static async Task AssertNothingStoredAsync(IFeedUnderTest feed)
    {
        Assert.Empty(await FeedHttp.AllRowsAsync(feed));
        Assert.Empty(await FeedHttp.AllBlobsAsync(feed));
        Assert.Empty(await RowsAsync(feed.Storage.ApiKeysTable));
        Assert.Empty(await RowsAsync(feed.Storage.TokenUsesTable));
    }

    public static async Task<List<TableEntity>> RowsAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }
}
