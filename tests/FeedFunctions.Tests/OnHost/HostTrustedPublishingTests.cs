using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// Trusted publishing through the Functions host with the SDK's own <c>dotnet nuget push -k "$TOKEN"</c>: a GitHub-shaped
/// token of the trusted repository pushes (and the host's queue trigger audits it with the policy and the run), an
/// exchanged key pushes, and representative hostile tokens are refused with a reason the client prints.
/// </summary>
[Collection(TrustedHostCollection.Name)]
public sealed class HostTrustedPublishingTests(TrustedHost trusted)
{
    private FunctionsHost Host => trusted.Host;

    private TestOidcIssuer Issuer => trusted.Issuer;

    private string Token(string repository = "contoso/lib", string environment = "prod", Dictionary<string, object>? claims = null, DateTimeOffset? notBefore = null,
        DateTimeOffset? expires = null) =>
        Issuer.CreateToken(TrustedHost.Audience, claims ?? TestOidcIssuer.GitHubClaims(repository, environment: environment), notBefore: notBefore, expires: expires);

    private async Task AssertNothingStoredAsync(string id)
    {
        Assert.Null(await FeedHttp.FindAsync(Host, id, "1.0.0"));
        Assert.DoesNotContain(await FeedHttp.AllBlobsAsync(Host), b => b.StartsWith(id.ToLowerInvariant() + "/", StringComparison.Ordinal));
    }

    [HostFact]
    public async Task The_client_pushes_with_a_token_of_the_trusted_repository_as_its_api_key_and_the_audit_names_the_policy_and_run()
    {
        var package = await PackedPackages.PathAsync("Contoso.Trusted.Host", "1.0.0");
        var claims = TestOidcIssuer.GitHubClaims("contoso/lib", environment: "prod");
        using var cli = new NuGetCli(Host.BaseUrl + "/v3/index.json");

        var push = await cli.PushAsync(package, Token(claims: claims));
        var audit = await Poll.UntilAsync(
            async () => await new AuditLogHandler(Host.Storage).QueryAsync("Contoso.Trusted.Host").ToListAsync(), a => a.Count > 0, TimeSpan.FromSeconds(60),
            "the audit log entry of the trusted push");

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("Your package was pushed", push.Output);
        Assert.NotNull(await FeedHttp.FindAsync(Host, "Contoso.Trusted.Host", "1.0.0"));
        var entry = Assert.Single(audit);
        Assert.Equal($"trusted:{TrustedHost.PolicyName}:{claims["run_id"]}.1", entry.KeyName);
        Assert.Equal(TrustedHost.PolicyName, entry.TrustedPublisher!.Policy);
        Assert.Equal("repo:contoso/lib:environment:prod", entry.TrustedPublisher.Subject);
        Assert.Equal("prod", entry.TrustedPublisher.Claims["environment"]);
        Assert.Equal(claims["run_id"], entry.TrustedPublisher.Claims["run_id"]);
    }

    [HostFact]
    public async Task A_key_exchanged_on_the_host_pushes_with_the_client()
    {
        var package = await PackedPackages.PathAsync("Contoso.Trusted.Exchanged", "1.0.0");
        using var exchange = await Host.Client.PostAsJsonAsync("/api/v2/token", new { token = Token() });
        var key = (await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;
        using var cli = new NuGetCli(Host.PushUrl);

        var push = await cli.PushAsync(package, key);

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.NotNull(await FeedHttp.FindAsync(Host, "Contoso.Trusted.Exchanged", "1.0.0"));
    }

    [HostFact]
    public async Task The_nuget_login_action_request_is_answered_as_nuget_org_does_and_its_key_pushes_with_the_client()
    {
        var package = await PackedPackages.PathAsync("Contoso.Trusted.Login", "1.0.0");
        var url = Host.BaseUrl + "/api/v2/token";

        using var login = await Host.Client.SendAsync(TrustedPublishing.TokenExchangeTests.LoginActionRequest(url, Token(), TrustedHost.User));
        var answer = await login.Content.ReadFromJsonAsync<JsonElement>();
        using var otherRepository = await Host.Client.SendAsync(TrustedPublishing.TokenExchangeTests.LoginActionRequest(url, Token("contoso/other"), TrustedHost.User));
        using var otherUser = await Host.Client.SendAsync(TrustedPublishing.TokenExchangeTests.LoginActionRequest(url, Token(), "fabrikam"));
        using var cli = new NuGetCli(Host.PushUrl);
        var push = await cli.PushAsync(package, answer.GetProperty("apiKey").GetString()!);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
        Assert.Equal("ApiKey", answer.GetProperty("tokenType").GetString());
        Assert.True(DateTimeOffset.TryParse(answer.GetProperty("expires").GetString(), System.Globalization.CultureInfo.InvariantCulture, out var expires));
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15.1));
        await TrustedPublishing.TokenExchangeTests.AssertJsonErrorAsync(otherRepository, HttpStatusCode.Forbidden, "No trust policy accepts this token: its 'repository' claim does not match.");
        await TrustedPublishing.TokenExchangeTests.AssertJsonErrorAsync(
            otherUser, HttpStatusCode.Forbidden, "No trust policy accepts this token: the request's 'username' is not the user its trust policy names.");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.NotNull(await FeedHttp.FindAsync(Host, "Contoso.Trusted.Login", "1.0.0"));
    }

    [HostFact]
    public async Task A_repository_re_created_under_the_trusted_name_is_refused_and_the_client_prints_which_claim()
    {
        var claims = TestOidcIssuer.GitHubClaims("contoso/lib", environment: "prod");
        using var pinning = await Host.Client.PostAsJsonAsync("/api/v2/token", new { token = Token(claims: claims) });
        var resurrected = TestOidcIssuer.GitHubClaims("contoso/lib", environment: "prod", repositoryId: "987654321");
        using var cli = new NuGetCli(Host.PushUrl);

        var push = await cli.PushAsync(await PackedPackages.PathAsync("Contoso.Trusted.Resurrected", "1.0.0"), Token(claims: resurrected));

        Assert.Equal(HttpStatusCode.OK, pinning.StatusCode);
        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("403", push.Output);
        Assert.Contains("No trust policy accepts this token: its 'repository_id' claim does not match.", push.Output);
        Assert.DoesNotContain("987654321", push.Output);
        Assert.DoesNotContain(claims["repository_id"].ToString()!, push.Output);
        await AssertNothingStoredAsync("Contoso.Trusted.Resurrected");
    }

    [HostFact]
    public async Task An_issuer_down_during_a_rotation_or_serving_a_wrong_discovery_document_is_503_with_retry_after_until_it_is_fixed()
    {
        const string unavailable = "The token issuer's signing keys could not be retrieved. Please retry.";
        Task<HttpResponseMessage> PushAsync(string version) =>
            FeedHttp.PushAsync(Host, TestPackage.Create("Contoso.Trusted.Outage", version).ToBytes(), Token());
        using (var warm = await PushAsync("1.0.0"))
        {
            Assert.Equal(HttpStatusCode.Created, warm.StatusCode);
        }

        HttpResponseMessage down, wrongDocument;
        try
        {
            Issuer.Unavailable = true;
            Issuer.RotateRsa();
            down = await PushAsync("2.0.0");
            Issuer.Unavailable = false;
            Issuer.DiscoveryIssuerOverride = "https://token.actions.githubusercontent.com";
            wrongDocument = await Poll.UntilAsync(() => PushAsync("2.0.0"), r => r.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30),
                "a 503 while the discovery document names another issuer");
        }
        finally
        {
            Issuer.Unavailable = false;
            Issuer.DiscoveryIssuerOverride = null;
        }

        var back = await Poll.UntilAsync(
            async () =>
            {
                using var push = await PushAsync("2.0.0");
                return push.StatusCode;
            },
            s => s != HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60), "a push once the issuer is fixed");

        foreach (var response in new[] { down, wrongDocument })
        {
            using var _ = response;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(unavailable, response.ReasonPhrase);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        Assert.Equal(HttpStatusCode.Created, back);
    }

    public static TheoryData<string, string, string> HostileCases() => new()
    {
        { "repository", "403", "No trust policy accepts this token: its 'repository' claim does not match." },
        { "environment", "403", "No trust policy accepts this token: its 'environment' claim does not match." },
        { "expired", "401", "The token has expired (exp)." },
        { "alg-none", "401", "The token's signing algorithm is not allowed (RS256 or ES256 only)." },
        { "oversized", "401", "The token is larger than 8192 bytes." },
        { "signature", "401", "The token's signature is invalid." },
    };

    [HostTheory]
    [MemberData(nameof(HostileCases))]
    public async Task The_client_prints_why_a_hostile_token_was_refused_and_nothing_is_stored(string hostile, string status, string reason)
    {
        var id = "Contoso.Trusted.Hostile." + hostile.Replace("-", string.Empty, StringComparison.Ordinal);
        var token = hostile switch
        {
            "repository" => Token("contoso/other"),
            "environment" => Token(environment: "staging"),
            "expired" => Token(notBefore: DateTimeOffset.UtcNow.AddMinutes(-10), expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
            "alg-none" => $"{Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Token().Split('.')[1]}.",
            "oversized" => Token(claims: new Dictionary<string, object>(TestOidcIssuer.GitHubClaims("contoso/lib", environment: "prod")) { ["padding"] = new string('x', 9000) }),
            _ => Tampered(Token("contoso/other")),
        };
        using var cli = new NuGetCli(Host.PushUrl);

        var push = await cli.PushAsync(await PackedPackages.PathAsync(id, "1.0.0"), token);

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains(status, push.Output);
        Assert.Contains(reason, push.Output);
        await AssertNothingStoredAsync(id);
    }

    /// <summary>A token of another repository whose payload is rewritten to name the trusted one: the signature no longer fits.</summary>
    private static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1])).Replace("contoso/other", "contoso/lib", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
