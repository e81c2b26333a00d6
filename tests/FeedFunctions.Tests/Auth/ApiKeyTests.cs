using FeedAdmin;
using System.Net;
using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Auth;

public sealed class ApiKeyTests
{
    private static ApiKeyStore Store(FeedAppHost host) => host.Services.GetRequiredService<ApiKeyStore>();

    private static Task<(ApiKeyRecord Record, string Key)> CreateKeyAsync(
        FeedAppHost host, ApiKeyScopes scopes, string[]? globs = null, DateTimeOffset? expires = null, string name = "test") =>
        Store(host).CreateAsync(name, scopes, globs ?? [], expires ?? DateTimeOffset.UtcNow.AddDays(1));

    [Fact]
    public async Task Scoped_key_pushes_unlists_and_relists_within_its_glob()
    {
        await using var host = await FeedAppHost.StartAsync();
        var (_, key) = await CreateKeyAsync(host, ApiKeyScopes.Push | ApiKeyScopes.Unlist, ["Contoso.*"]);

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Scoped", "1.0.0").ToBytes(), key);
        using var unlist = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Scoped/1.0.0", key);
        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Scoped/1.0.0", key);
        using var outsideGlob = await FeedHttp.PushAsync(host, TestPackage.Create("Fabrikam.Lib", "1.0.0").ToBytes(), key);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unlist.StatusCode);
        Assert.Equal(HttpStatusCode.OK, relist.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outsideGlob.StatusCode);
        Assert.Contains("Fabrikam.Lib", outsideGlob.ReasonPhrase);
        Assert.Null(await FeedHttp.FindAsync(host, "Fabrikam.Lib", "1.0.0"));
    }

    [Fact]
    public async Task Expired_revoked_and_unknown_keys_are_refused_with_403()
    {
        await using var host = await FeedAppHost.StartAsync();
        var (_, expired) = await CreateKeyAsync(host, ApiKeyScopes.All, expires: DateTimeOffset.UtcNow.AddMinutes(-1));
        var (revokedRecord, revoked) = await CreateKeyAsync(host, ApiKeyScopes.All, name: "to-revoke");
        Assert.Equal(1, await Store(host).RevokeAsync(revokedRecord.KeyId));
        var (_, valid) = await CreateKeyAsync(host, ApiKeyScopes.All);
        var unknown = valid[..^4] + "abcd";

        foreach (var key in new[] { expired, revoked, unknown, "nfk_000000000000_x", new string('k', 5000) })
        {
            using var response = await FeedHttp.PushAsync(host, TestPackage.Create().ToBytes(), key);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Empty(await FeedHttp.AllRowsAsync(host));
    }

    [Fact]
    public async Task Wrong_scope_is_refused_and_pushversion_may_not_create_new_ids()
    {
        await using var host = await FeedAppHost.StartAsync();
        var (_, unlistOnly) = await CreateKeyAsync(host, ApiKeyScopes.Unlist);
        var (_, pushOnly) = await CreateKeyAsync(host, ApiKeyScopes.Push);
        var (_, versionsOnly) = await CreateKeyAsync(host, ApiKeyScopes.PushVersion);

        using var pushWithUnlistKey = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.A", "1.0.0").ToBytes(), unlistOnly);
        using var newIdWithVersionKey = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.A", "1.0.0").ToBytes(), versionsOnly);
        using var first = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.A", "1.0.0").ToBytes(), pushOnly);
        using var newVersionWithVersionKey = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.A", "1.1.0").ToBytes(), versionsOnly);
        using var unlistWithPushKey = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.A/1.0.0", pushOnly);

        Assert.Equal(HttpStatusCode.Forbidden, pushWithUnlistKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, newIdWithVersionKey.StatusCode);
        Assert.Contains("new versions", newIdWithVersionKey.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, newVersionWithVersionKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, unlistWithPushKey.StatusCode);
        Assert.True((await FeedHttp.FindAsync(host, "Contoso.A", "1.0.0"))!.Listed);
    }

    [Fact]
    public async Task The_table_holds_only_hashes_never_the_key()
    {
        await using var host = await FeedAppHost.StartAsync();
        var (record, key) = await CreateKeyAsync(host, ApiKeyScopes.All);
        // nfk_{12 hex}_{secret}: the secret itself may contain '_' (base64url).
        var secret = key[(ApiKeyHasher.Prefix.Length + record.KeyId.Length + 1)..];

        var rows = new List<string>();
        await foreach (var entity in host.Storage.ApiKeysTable.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows.AddRange(entity.Select(p => p.Value.ToString() ?? string.Empty));
        }

        Assert.NotEmpty(rows);
        Assert.DoesNotContain(rows, value => value.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(ApiKeyHasher.HashHex(key), rows);
        Assert.StartsWith(ApiKeyHasher.Prefix + record.KeyId + "_", key);
    }

    [Fact]
    public async Task Keys_cli_creates_lists_and_revokes()
    {
        await using var host = await FeedAppHost.StartAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = host.NamePrefix,
        }).Build();

        var created = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(["keys", "create", "--name", "ci-bot", "--scopes", "push,unlist", "--glob", "Contoso.*"], created, configuration));
        var key = created.ToString().Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith(ApiKeyHasher.Prefix, StringComparison.Ordinal));
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Cli", "1.0.0").ToBytes(), key);

        var listed = new StringWriter();
        Assert.Equal(0, await KeysCommand.RunAsync(["keys", "list"], listed, configuration));
        Assert.Equal(0, await KeysCommand.RunAsync(["keys", "revoke", "ci-bot"], new StringWriter(), configuration));
        var afterRevoke = (await Store(host).ListAsync()).Single();

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Contains("ci-bot", listed.ToString());
        Assert.DoesNotContain(key, listed.ToString());
        Assert.True(afterRevoke.Revoked);
    }

    [Theory]
    [InlineData("Contoso.*", "Contoso.Lib", true)]
    [InlineData("Contoso.*", "contoso.lib", true)]
    [InlineData("Contoso.*", "ContosoLib", false)]
    [InlineData("Contoso.*", "Fabrikam.Contoso.Lib", false)]
    [InlineData("*.Tools", "Fabrikam.Tools", true)]
    [InlineData("Exact.Id", "Exact.Id", true)]
    [InlineData("Exact.Id", "Exact.Ids", false)]
    public void Package_globs_match_case_insensitively_and_anchored(string glob, string id, bool expected) =>
        Assert.Equal(expected, PackageIdGlob.Matches(glob, id));

    [Fact]
    public void Hash_comparison_is_constant_time_and_exact()
    {
        var stored = ApiKeyHasher.Hash("nfk_0123456789ab_secret");

        Assert.True(ApiKeyHasher.HashEquals(ApiKeyHasher.Hash("nfk_0123456789ab_secret"), stored));
        Assert.False(ApiKeyHasher.HashEquals(ApiKeyHasher.Hash("nfk_0123456789ab_secreT"), stored));
        Assert.Equal("0123456789ab", ApiKeyHasher.TryGetKeyId("nfk_0123456789ab_secret"));
        Assert.Null(ApiKeyHasher.TryGetKeyId("nfk_XYZ_secret"));
        Assert.Null(ApiKeyHasher.TryGetKeyId("plain-key"));
    }
}
