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
