using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>What the feed logs around trusted publishing: the check, the policy and the run, never a token or a key.</summary>
public sealed class TrustedPublishingLogTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    [Fact]
    public async Task Pushes_exchanges_and_refusals_log_the_policy_and_the_run_but_never_the_token_or_the_key()
    {
        var issuer = fixture.Issuer;
        var logs = new CapturingLoggerProvider();
        await using var host = await TrustedFeed.StartAsync(logs.AddTo);
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer, environment: "prod"));
        var claims = TestOidcIssuer.GitHubClaims("contoso/lib", environment: "prod");
        var good = issuer.CreateToken(TrustedFeed.Audience, claims);
        var wrongEnvironment = issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib", environment: "dev"));
        var expired = issuer.CreateToken(TrustedFeed.Audience, claims, notBefore: DateTimeOffset.UtcNow.AddMinutes(-10), expires: DateTimeOffset.UtcNow.AddMinutes(-5));

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logged", "1.0.0").ToBytes(), good);
        using var exchange = await host.Client.PostAsJsonAsync(host.BaseUrl + "/api/v2/token", new { token = good });
        var key = (await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        using var keyPush = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logged", "2.0.0").ToBytes(), key);
        using var refused = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logged", "3.0.0").ToBytes(), wrongEnvironment);
        using var late = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logged", "4.0.0").ToBytes(), expired);
        var all = string.Join('\n', logs.Lines);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(HttpStatusCode.Created, keyPush.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        foreach (var secret in new[] { good, wrongEnvironment, expired }.SelectMany(t => t.Split('.')).Append(key).Append(key[(key.LastIndexOf('_') + 1)..]))
        {
            Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        }

        Assert.Contains($"with key trusted:contoso-lib:{claims["run_id"]}.1", all);
        Assert.Contains("issued key", all);
        Assert.Contains("matched no policy (claims environment)", all);
        Assert.Contains("SecurityTokenExpiredException", all);
    }
}
