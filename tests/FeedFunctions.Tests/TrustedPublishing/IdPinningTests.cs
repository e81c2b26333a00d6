using System.Net;
using FeedAdmin;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.TrustedPublishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>
/// Resurrection-proof policies, in process over HTTP: a policy that names a GitHub repository (or owner) by name records
/// the ids of its first accepted token, and a token of a repository re-created under the same name (same names, other
/// ids) is refused with a reason that names the claim, never its value.
/// </summary>
public sealed class IdPinningTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    private const string RepositoryId = "100200300";
    private const string OwnerId = "4004004";

    private TestOidcIssuer Issuer => fixture.Issuer;

    private string Token(string repository = "contoso/lib", string repositoryId = RepositoryId, string ownerId = OwnerId) =>
        Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims(repository, repositoryId: repositoryId, ownerId: ownerId));

    private static Task<HttpResponseMessage> PushAsync(IFeedUnderTest host, string version, string token) =>
        FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Pinned", version).ToBytes(), token);

    private static async Task<TrustPolicy> StoredAsync(FeedAppHost host, string name = "contoso-lib") =>
        (await host.Services.GetRequiredService<TrustPolicyStore>().GetAsync(name))!;

    [Fact]
    public async Task The_first_token_pins_the_ids_and_a_re_created_repository_of_the_same_name_is_refused_naming_the_claim_only()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));

        using var first = await PushAsync(host, "1.0.0", Token());
        var pinned = (await StoredAsync(host)).Pinned;
        using var same = await PushAsync(host, "1.1.0", Token());
        using var otherRepository = await PushAsync(host, "2.0.0", Token(repositoryId: "999888777"));
        using var otherOwner = await PushAsync(host, "2.0.1", Token(ownerId: "7007007"));
        using var noIds = await PushAsync(host, "2.0.2", Issuer.CreateToken(TrustedFeed.Audience, WithoutIds(TestOidcIssuer.GitHubClaims("contoso/lib"))));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(RepositoryId, pinned?.RepositoryId);
        Assert.Equal(OwnerId, pinned?.RepositoryOwnerId);
        Assert.Equal(HttpStatusCode.Created, same.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherRepository.StatusCode);
        Assert.Equal("No trust policy accepts this token: its 'repository_id' claim does not match.", otherRepository.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, otherOwner.StatusCode);
        Assert.Equal("No trust policy accepts this token: its 'repository_owner_id' claim does not match.", otherOwner.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, noIds.StatusCode);
        foreach (var refused in new[] { otherRepository, otherOwner, noIds })
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain("999888777", body + refused.ReasonPhrase, StringComparison.Ordinal);
            Assert.DoesNotContain("7007007", body + refused.ReasonPhrase, StringComparison.Ordinal);
            Assert.DoesNotContain(RepositoryId, body + refused.ReasonPhrase, StringComparison.Ordinal);
        }

        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Pinned", "2.0.0"));
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Pinned", "2.0.1"));
    }

    [Fact]
    public async Task A_policy_that_does_not_pin_ids_accepts_other_ids_and_records_none()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer) with { PinIds = false });

        using var first = await PushAsync(host, "1.0.0", Token());
        using var otherIds = await PushAsync(host, "2.0.0", Token(repositoryId: "999888777", ownerId: "7007007"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherIds.StatusCode);
        Assert.Null((await StoredAsync(host)).Pinned);
    }

    [Fact]
    public async Task An_owner_policy_pins_the_owner_id_only_and_a_policy_requiring_ids_pins_nothing_more()
    {
        await using var host = await TrustedFeed.StartAsync();
        var claims = new Dictionary<string, string> { ["repository_owner"] = "contoso" };
        var ownerPolicy = TrustedFeed.GitHubPolicy(Issuer, name: "contoso-owner") with { RequiredClaims = claims };
        await TrustedFeed.AddPolicyAsync(host.Services, ownerPolicy);

        using var lib = await PushAsync(host, "1.0.0", Token("contoso/lib", repositoryId: "111"));
        using var tools = await PushAsync(host, "1.1.0", Token("contoso/tools", repositoryId: "222"));
        using var otherOwner = await PushAsync(host, "2.0.0", Token("contoso/lib", ownerId: "7007007"));
        var pinned = (await StoredAsync(host, "contoso-owner")).Pinned;

        Assert.Equal(HttpStatusCode.Created, lib.StatusCode);
        Assert.Equal(HttpStatusCode.Created, tools.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, "No trust policy accepts this token: its 'repository_owner_id' claim does not match."), (otherOwner.StatusCode, otherOwner.ReasonPhrase));
        Assert.Null(pinned?.RepositoryId);
        Assert.Equal(OwnerId, pinned?.RepositoryOwnerId);
        Assert.False(GitHubIdPinning.Applies(TrustedFeed.GitHubPolicy(Issuer) with
        {
            RequiredClaims = new Dictionary<string, string> { ["repository_id"] = "1", ["repository_owner_id"] = "2", ["repository"] = "contoso/lib" },
        }));
        Assert.False(GitHubIdPinning.Applies(TrustedFeed.GitHubPolicy(Issuer) with { RequiredClaims = new Dictionary<string, string> { ["sub"] = "repo:*/lib:ref:x", ["repository"] = "*/lib" } }));
    }

    [Fact]
    public async Task Concurrent_first_tokens_give_one_outcome_the_first_ids_recorded_win_and_the_others_are_refused()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        using (var warm = await PushAsync(host, "0.0.1", Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("fabrikam/lib"))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, warm.StatusCode); // keys fetched, nothing pinned
        }

        var attempts = Enumerable.Range(0, 8).Select(i => (Ids: i % 2 == 0 ? "111111" : "222222", Version: $"1.0.{i}")).ToList();
        var answers = await Task.WhenAll(attempts.Select(async a =>
        {
            using var push = await PushAsync(host, a.Version, Token(repositoryId: a.Ids));
            return (a.Ids, push.StatusCode, push.ReasonPhrase);
        }));
        var pinned = (await StoredAsync(host)).Pinned!.RepositoryId;

        Assert.Contains(pinned, new[] { "111111", "222222" });
        Assert.All(answers, a => Assert.Equal(a.Ids == pinned ? HttpStatusCode.Created : HttpStatusCode.Forbidden, a.StatusCode));
        Assert.All(answers.Where(a => a.Ids != pinned), a => Assert.Equal("No trust policy accepts this token: its 'repository_id' claim does not match.", a.ReasonPhrase));
        foreach (var (ids, version) in attempts)
        {
            Assert.Equal(ids == pinned, await FeedHttp.FindAsync(host, "Contoso.Pinned", version) is not null);
        }
    }

    [Fact]
    public async Task Two_instances_with_stale_caches_recording_different_ids_agree_on_the_first_write()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var stores = Enumerable.Range(0, 4).Select(_ => new TrustPolicyStore(host.Storage, TimeProvider.System)).ToList();
        var cached = await Task.WhenAll(stores.Select(async s => (await s.ListAsync()).Single()));

        var results = await Task.WhenAll(stores.Select((s, i) =>
            s.RecordPinnedIdsAsync(cached[i], new PinnedIds($"{i}0{i}", OwnerId, DateTimeOffset.UtcNow))));
        var stored = await StoredAsync(host);

        Assert.NotNull(stored.Pinned);
        Assert.All(results, r => Assert.Equal((stored.Pinned.RepositoryId, stored.Pinned.RepositoryOwnerId), (r!.Pinned!.RepositoryId, r.Pinned.RepositoryOwnerId)));
    }

    [Fact]
    public async Task The_cli_adds_a_policy_without_pinning_and_lists_pinned_ids()
    {
        await using var host = await TrustedFeed.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = host.NamePrefix,
        }).Build();
        string[] common = ["--issuer", Issuer.Issuer, "--audience", TrustedFeed.Audience, "--claim", "repository=contoso/lib", "--glob", "Contoso.*"];

        var unpinnedExit = await AdminCommand.RunAsync(["policies", "add", "--name", "unpinned", .. common, "--pin-ids", "false"], new StringWriter(), configuration);
        var pinnedExit = await AdminCommand.RunAsync(["policies", "add", "--name", "pinned", .. common, "--user", "contoso"], new StringWriter(), configuration);
        var before = new StringWriter();
        await AdminCommand.RunAsync(["policies", "list"], before, configuration);
        using var push = await PushAsync(host, "1.0.0", Token());
        var after = new StringWriter();
        await AdminCommand.RunAsync(["policies", "list"], after, configuration);
        var store = host.Services.GetRequiredService<TrustPolicyStore>();

        Assert.Equal((0, 0), (unpinnedExit, pinnedExit));
        Assert.False((await store.GetAsync("unpinned"))!.PinIds);
        Assert.Equal("contoso", (await store.GetAsync("pinned"))!.User);
        Assert.Contains("ids not pinned", Line(before, "unpinned"));
        Assert.Contains("ids pinned by the first accepted token (none yet)", Line(before, "pinned"));
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Contains($"pinned repository_id={RepositoryId} repository_owner_id={OwnerId}", Line(after, "pinned"));
        Assert.Contains("user contoso", Line(after, "pinned"));
    }

    private static string Line(StringWriter output, string policy) =>
        output.ToString().Split('\n').Single(l => l.StartsWith(policy + " ", StringComparison.Ordinal));

    private static Dictionary<string, object> WithoutIds(Dictionary<string, object> claims)
    {
        claims.Remove("repository_id");
        claims.Remove("repository_owner_id");
        return claims;
    }
}
