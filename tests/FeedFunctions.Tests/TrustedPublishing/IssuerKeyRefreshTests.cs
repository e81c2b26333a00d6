using System.Net;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>
/// How the feed behaves when an issuer's keys cannot be had, in process over HTTP: an issuer that is down during a key
/// rotation is a 503 the client retries (never a 401 it does not), and a refused discovery document is fetched again
/// under the same rules as a failed fetch, so a fixed issuer is trusted again within <c>UnknownKeyRefreshInterval</c>
/// (1 s in these tests).
/// </summary>
public sealed class IssuerKeyRefreshTests
{
    private const string Unavailable = "The token issuer's signing keys could not be retrieved. Please retry.";

    private static Dictionary<string, object> Claims() => TestOidcIssuer.GitHubClaims("contoso/lib");

    [Fact]
    public async Task A_kid_not_cached_while_the_issuer_is_down_is_503_with_retry_after_and_is_accepted_once_the_issuer_is_back()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer));
        using var cached = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotating", "1.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));

        issuer.Unavailable = true;
        issuer.RotateRsa();
        var rotatedToken = issuer.CreateToken(TrustedFeed.Audience, Claims());
        using var duringOutage = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotating", "2.0.0").ToBytes(), rotatedToken);
        using var stillDown = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotating", "2.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
        var ecToken = issuer.CreateToken(TrustedFeed.Audience, Claims(), issuer.Ec);
        using var cachedKeyStillWorks = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotating", "1.5.0").ToBytes(), ecToken);
        issuer.Unavailable = false;
        var back = await Poll.UntilAsync(
            async () =>
            {
                using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotating", "2.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
                return push.StatusCode;
            },
            s => s != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "a push once the issuer is back");

        Assert.Equal(HttpStatusCode.Created, cached.StatusCode);
        foreach (var response in new[] { duringOutage, stillDown })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(Unavailable, response.ReasonPhrase);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.Created, cachedKeyStillWorks.StatusCode);
        Assert.Equal(HttpStatusCode.Created, back);
        Assert.NotNull(await FeedHttp.FindAsync(host, "Contoso.Rotating", "2.0.0"));
    }

    [Fact]
    public async Task A_discovery_document_naming_another_issuer_is_fetched_again_and_the_fixed_issuer_is_trusted_within_the_refresh_interval()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        issuer.DiscoveryIssuerOverride = "https://token.actions.githubusercontent.com";
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer));

        using var refused = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Fixed", "1.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
        var requestsWhileWrong = issuer.DiscoveryRequests;
        issuer.DiscoveryIssuerOverride = null;
        var fixedAnswer = await Poll.UntilAsync(
            async () =>
            {
                using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Fixed", "1.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
                return (push.StatusCode, push.ReasonPhrase, RetryAfter: push.Headers.RetryAfter is not null);
            },
            a => a.StatusCode != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(20), "a push once the discovery document is fixed");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(Unavailable, refused.ReasonPhrase);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, fixedAnswer.StatusCode);
        Assert.True(issuer.DiscoveryRequests > requestsWhileWrong);
    }

    [Fact]
    public async Task A_refused_discovery_document_is_fetched_at_most_once_per_refresh_interval()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        issuer.DiscoveryIssuerOverride = "https://token.actions.githubusercontent.com";
        await using var host = await TrustedFeed.StartAsync(settings: new Dictionary<string, string?> { ["Feed:TrustedPublishing:UnknownKeyRefreshInterval"] = "00:10:00" });
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Liar", "1.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
            statuses.Add(push.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.InRange(issuer.DiscoveryRequests, 1, 2);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }
}
