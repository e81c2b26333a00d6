using FeedAdmin;
using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.TrustedPublishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>Policies: what may be stored, how claims match, how a credential is recognised as a token, the CLI, the clean-up.</summary>
public sealed class TrustPolicyTests
{
    private static TrustPolicy Policy(Dictionary<string, string> claims, string issuer = "https://token.actions.githubusercontent.com", ApiKeyScopes scopes = ApiKeyScopes.Push) =>
        new("gh", issuer, "https://feed.example", claims, scopes, [], DateTimeOffset.UtcNow, null, false);

    [Theory]
    [InlineData("refs/tags/v*", "refs/tags/v1.2.3", true)]
    [InlineData("refs/tags/v*", "refs/heads/v1", false)]
    [InlineData("repo:contoso/*:environment:prod", "repo:contoso/lib:environment:prod", true)]
    [InlineData("repo:contoso/*:environment:prod", "repo:contoso/lib:environment:staging", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "ac", false)]
    [InlineData("ab*ba", "aba", false)]
    [InlineData("contoso/lib", "Contoso/Lib", false)]
    [InlineData("contoso/lib", "contoso/lib", true)]
    public void Claim_patterns_match_ordinally_with_star_for_any_run(string pattern, string value, bool expected) =>
        Assert.Equal(expected, ClaimPattern.Matches(pattern, value));

    [Fact]
    public void A_policy_must_name_an_identity_exactly_use_https_and_grant_publishing_scopes_only()
    {
        Assert.Null(Policy(new() { ["repository"] = "contoso/lib", ["ref"] = "refs/tags/v*" }).Validate());
        Assert.Null(Policy(new() { ["sub"] = "sc://contoso/project/feed" }, issuer: "http://127.0.0.1:5000").Validate());

        Assert.Contains("identifying claim", Policy(new() { ["ref"] = "refs/heads/main" }).Validate());
        Assert.Contains("identifying claim", Policy(new() { ["repository"] = "contoso/*" }).Validate());
        Assert.Contains("https", Policy(new() { ["repository"] = "contoso/lib" }, issuer: "http://token.example.com").Validate());
        Assert.Contains("https", Policy(new() { ["repository"] = "contoso/lib" }, issuer: "https://token.example.com/?x=1").Validate());
        Assert.Contains("cannot be required", Policy(new() { ["repository"] = "contoso/lib", ["aud"] = "x" }).Validate());
        Assert.Contains("1 to", Policy([]).Validate());
        Assert.Contains("push, pushversion", Policy(new() { ["repository"] = "contoso/lib" }, scopes: ApiKeyScopes.Read).Validate());
        Assert.Contains("name", (Policy(new() { ["repository"] = "contoso/lib" }) with { Name = "trusted:x" }).Validate());
    }

    [Fact]
    public void A_jwt_is_recognised_by_its_shape_and_api_keys_are_not()
    {
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "https://issuer.example",
            Audience = "a",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = TestSigningKey.EcP256("k").Credentials,
        });

        Assert.True(TrustedTokenAuthenticator.LooksLikeToken(token));
        Assert.True(TrustedTokenAuthenticator.LooksLikeToken("eyJ" + new string('a', 9000)));
        Assert.False(TrustedTokenAuthenticator.LooksLikeToken("nfk_0123456789ab_c2VjcmV0"));
        Assert.False(TrustedTokenAuthenticator.LooksLikeToken("local-dev-key"));
        Assert.False(TrustedTokenAuthenticator.LooksLikeToken("a.b.c"));
        Assert.False(TrustedTokenAuthenticator.LooksLikeToken("eyJmb28iOiJiYXIifQ.eyJmb28iOiJiYXIifQ.c2ln"));
        Assert.False(TrustedTokenAuthenticator.LooksLikeToken(string.Empty));
    }

    [Fact]
    public async Task Policies_cli_adds_lists_and_removes_and_refuses_what_the_store_refuses()
    {
        await using var host = await FeedAppHost.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = host.NamePrefix,
        }).Build();

        var added = new StringWriter();
        var addExit = await AdminCommand.RunAsync(
            ["policies", "add", "--name", "gh-release", "--issuer", "https://token.actions.githubusercontent.com", "--audience", "https://feed.example",
             "--claim", "repository=contoso/lib", "--claim", "ref=refs/tags/v*", "--scopes", "push", "--glob", "Contoso.*", "--one-time-use"], added, configuration);
        var duplicate = new StringWriter();
        var duplicateExit = await AdminCommand.RunAsync(
            ["policies", "add", "--name", "gh-release", "--issuer", "https://token.actions.githubusercontent.com", "--audience", "x", "--claim", "repository=a/b"], duplicate, configuration);
        var loose = new StringWriter();
        var looseExit = await AdminCommand.RunAsync(
            ["policies", "add", "--name", "loose", "--issuer", "https://token.actions.githubusercontent.com", "--audience", "x", "--claim", "ref=refs/heads/main"], loose, configuration);
        var listed = new StringWriter();
        await AdminCommand.RunAsync(["policies", "list"], listed, configuration);
        var stored = (await host.Services.GetRequiredService<TrustPolicyStore>().ListAsync()).Single();
        var removeExit = await AdminCommand.RunAsync(["policies", "remove", "gh-release"], new StringWriter(), configuration);
        var removeAgainExit = await AdminCommand.RunAsync(["policies", "remove", "gh-release"], new StringWriter(), configuration);

        Assert.Equal(0, addExit);
        Assert.Contains("Added trust policy 'gh-release'", added.ToString());
        Assert.Equal(1, duplicateExit);
        Assert.Contains("exists", duplicate.ToString());
        Assert.Equal(1, looseExit);
        Assert.Contains("identifying claim", loose.ToString());
        Assert.Contains("gh-release", listed.ToString());
        Assert.Contains("repository=contoso/lib ref=refs/tags/v*", listed.ToString());
        Assert.Equal(new Dictionary<string, string> { ["repository"] = "contoso/lib", ["ref"] = "refs/tags/v*" }, stored.RequiredClaims);
        Assert.True(stored.OneTimeUse);
        Assert.Equal(0, removeExit);
        Assert.Equal(1, removeAgainExit);
    }

    [Fact]
    public async Task The_clean_up_removes_used_token_rows_of_expired_tokens_and_long_expired_exchanged_keys_only()
    {
        await using var host = await FeedAppHost.StartAsync();
        var ledger = host.Services.GetRequiredService<TokenUseLedger>();
        var keys = host.Services.GetRequiredService<ApiKeyStore>();
        var now = DateTimeOffset.UtcNow;
        var publisher = new TrustedPublisher("p", "https://issuer.example", "sub", new Dictionary<string, string>());
        Assert.True(await ledger.TryRecordAsync("https://issuer.example", "old", now.AddHours(-3), "p", CancellationToken.None));
        Assert.True(await ledger.TryRecordAsync("https://issuer.example", "current", now.AddMinutes(5), "p", CancellationToken.None));
        Assert.False(await ledger.TryRecordAsync("https://issuer.example", "current", now.AddMinutes(5), "p", CancellationToken.None));
        await keys.CreateAsync("trusted:p:old", ApiKeyScopes.Push, [], now.AddDays(-8), publisher);
        await keys.CreateAsync("trusted:p:recent", ApiKeyScopes.Push, [], now.AddDays(-1), publisher);
        await keys.CreateAsync("classic-expired", ApiKeyScopes.Push, [], now.AddDays(-30));

        var pruned = await ledger.PruneAsync(now.AddHours(-1), CancellationToken.None);
        var prunedKeys = await keys.PruneExchangedKeysAsync(now - TrustedPublishingFunctions.ExpiredKeyRetention, 100);

        Assert.Equal(1, pruned);
        Assert.Single(await TrustedFeed.RowsAsync(host.Storage.TokenUsesTable));
        Assert.Equal(1, prunedKeys);
        Assert.Equal(["classic-expired", "trusted:p:recent"], (await keys.ListAsync()).Select(k => k.Name).Order());
    }
}
