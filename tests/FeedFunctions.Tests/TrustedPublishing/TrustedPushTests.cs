using System.Net;
using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>
/// The direct flow in process: a GitHub-shaped OIDC token as the API key. What a policy accepts is pushed and recorded
/// with the policy and the run; a token whose claims or package do not fit is refused with the reason and stores nothing.
/// </summary>
public sealed class TrustedPushTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    private TestOidcIssuer Issuer => fixture.Issuer;

    [Fact]
    public async Task A_token_from_the_trusted_repository_pushes_and_the_event_and_audit_carry_the_policy_and_the_run()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var claims = TestOidcIssuer.GitHubClaims("contoso/lib");
        var token = Issuer.CreateToken(TrustedFeed.Audience, claims);

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Trusted", "1.0.0").ToBytes(), token);
        var message = (await host.Storage.EventsQueue.PeekMessageAsync()).Value;
        var packageEvent = PackageEventJson.Deserialize(message.Body.ToString())!;
        await InProcessEvents.DrainAsync(host);
        var audited = await host.Services.GetRequiredService<AuditLogHandler>().QueryAsync("Contoso.Trusted").SingleAsync();
        var record = await FeedHttp.FindAsync(host, "Contoso.Trusted", "1.0.0");

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.NotNull(record);
        var runName = $"trusted:contoso-lib:{claims["run_id"]}.1";
        foreach (var recorded in new[] { packageEvent, audited })
        {
            Assert.Equal(runName, recorded.KeyName);
            Assert.Equal("contoso-lib", recorded.TrustedPublisher!.Policy);
            Assert.Equal(Issuer.Issuer, recorded.TrustedPublisher.Issuer);
            Assert.Equal("repo:contoso/lib:ref:refs/heads/main", recorded.TrustedPublisher.Subject);
            Assert.Equal("contoso/lib", recorded.TrustedPublisher.Claims["repository"]);
            Assert.Equal(claims["run_id"], recorded.TrustedPublisher.Claims["run_id"]);
            Assert.Equal("refs/heads/main", recorded.TrustedPublisher.Claims["ref"]);
        }

        Assert.DoesNotContain(token.Split('.')[2], message.Body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ES256_token_pushes_and_a_key_push_event_has_no_trusted_publisher_field()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));

        using var trusted = await FeedHttp.PushAsync(
            host, TestPackage.Create("Contoso.Ec", "1.0.0").ToBytes(), Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib"), Issuer.Ec));
        using var withKey = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Keyed", "1.0.0").ToBytes());
        var messages = (await host.Storage.EventsQueue.PeekMessagesAsync(10)).Value.Select(m => m.Body.ToString()).ToList();

        Assert.Equal(HttpStatusCode.Created, trusted.StatusCode);
        Assert.Equal(HttpStatusCode.Created, withKey.StatusCode);
        Assert.Contains(messages, m => m.Contains("\"trustedPublisher\"", StringComparison.Ordinal) && m.Contains("Contoso.Ec", StringComparison.Ordinal));
        Assert.Contains(messages, m => !m.Contains("trustedPublisher", StringComparison.Ordinal) && m.Contains("Contoso.Keyed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fabrikam/lib", "refs/heads/main", "prod", "repository")]
    [InlineData("contoso/lib", "refs/heads/feature", "prod", "ref")]
    [InlineData("contoso/lib", "refs/heads/main", "staging", "environment")]
    [InlineData("contoso/lib", "refs/heads/main", null, "environment")]
    public async Task A_valid_token_whose_repository_ref_or_environment_does_not_match_gets_403_naming_the_claim(
        string repository, string gitRef, string? environment, string failedClaim)
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, environment: "prod"));
        var token = Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims(repository, gitRef, environment));

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Refused", "1.0.0").ToBytes(), token);

        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.Equal($"No trust policy accepts this token: its '{failedClaim}' claim does not match.", push.ReasonPhrase);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task A_trusted_token_for_a_package_outside_the_policy_globs_gets_403_and_nothing_is_stored()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var token = Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib"));

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Fabrikam.Lib", "1.0.0").ToBytes(), token);

        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.Equal("Trust policy 'contoso-lib' does not have permission to push package 'Fabrikam.Lib'.", push.ReasonPhrase);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task The_policy_scopes_bound_the_token_a_push_policy_cannot_unlist_and_an_unlist_policy_can()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, name: "push-only"));
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, name: "unlister", repository: "contoso/ops", scopes: ApiKeyScopes.Unlist));
        using var seed = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Listed", "1.0.0").ToBytes());

        using var byPusher = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Listed/1.0.0",
            Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib")));
        var listedAfterRefusal = (await FeedHttp.FindAsync(host, "Contoso.Listed", "1.0.0"))!.Listed;
        using var byUnlister = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Listed/1.0.0",
            Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/ops")));

        Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byPusher.StatusCode);
        Assert.Equal("Trust policy 'push-only' does not grant permission for this operation.", byPusher.ReasonPhrase);
        Assert.True(listedAfterRefusal);
        Assert.Equal(HttpStatusCode.NoContent, byUnlister.StatusCode);
        Assert.False((await FeedHttp.FindAsync(host, "Contoso.Listed", "1.0.0"))!.Listed);
    }

    [Fact]
    public async Task A_tag_pattern_policy_accepts_release_tags_only_and_an_expired_policy_accepts_nothing()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, name: "releases", gitRef: "refs/tags/v*"));

        using var tag = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Tagged", "1.0.0").ToBytes(),
            Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib", "refs/tags/v1.0.0")));
        using var branch = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Branch", "1.0.0").ToBytes(),
            Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib", "refs/heads/v1")));

        await using var expiredHost = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(expiredHost.Services, TrustedFeed.GitHubPolicy(Issuer, expires: DateTimeOffset.UtcNow.AddMinutes(-1)));
        using var expired = await FeedHttp.PushAsync(expiredHost, TestPackage.Create("Contoso.Late", "1.0.0").ToBytes(),
            Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib")));

        Assert.Equal(HttpStatusCode.Created, tag.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, branch.StatusCode);
        Assert.Contains("'ref'", branch.ReasonPhrase);
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Branch", "1.0.0"));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("The trust policies for the token's issuer have expired.", expired.ReasonPhrase);
        await TrustedFeed.AssertNothingStoredAsync(expiredHost);
    }

    [Fact]
    public async Task A_one_time_use_policy_accepts_a_token_once()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, oneTimeUse: true));
        var token = Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib"));
        var withoutJti = TestOidcIssuer.GitHubClaims("contoso/lib");
        withoutJti.Remove("jti");

        using var first = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Once", "1.0.0").ToBytes(), token);
        using var replay = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Once", "2.0.0").ToBytes(), token);
        using var noJti = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Once", "3.0.0").ToBytes(), Issuer.CreateToken(TrustedFeed.Audience, withoutJti));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("The token was already used; its trust policy accepts each token once.", replay.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Unauthorized, noJti.StatusCode);
        Assert.Contains("no jti", noJti.ReasonPhrase);
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Once", "2.0.0"));
        Assert.Single(await TrustedFeed.RowsAsync(host.Storage.TokenUsesTable));
    }
}
