using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary><c>POST /api/v2/token</c> in process: an OIDC token for a short-lived, hashed, policy-scoped feed key.</summary>
public sealed class TokenExchangeTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    private TestOidcIssuer Issuer => fixture.Issuer;

    private static async Task<HttpResponseMessage> ExchangeAsync(IFeedUnderTest host, string? token, int? lifetimeMinutes = null, bool bearer = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/api/v2/token");
        if (bearer)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (lifetimeMinutes is not null)
            {
                request.Content = JsonContent.Create(new { lifetimeMinutes });
            }
        }
        else
        {
            request.Content = JsonContent.Create(new { token, lifetimeMinutes });
        }

        return await host.Client.SendAsync(request);
    }

    private string Token(string repository = "contoso/lib") => Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims(repository));

    [Fact]
    public async Task A_trusted_token_is_exchanged_for_a_15_minute_key_stored_hashed_that_pushes_with_the_run_in_its_events()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var claims = TestOidcIssuer.GitHubClaims("contoso/lib");

        using var exchange = await ExchangeAsync(host, Issuer.CreateToken(TrustedFeed.Audience, claims));
        using var body = JsonDocument.Parse(await exchange.Content.ReadAsStringAsync());
        var key = body.RootElement.GetProperty("apiKey").GetString()!;
        var expires = body.RootElement.GetProperty("expires").GetDateTimeOffset();
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Exchanged", "1.0.0").ToBytes(), key);
        using var outsideGlob = await FeedHttp.PushAsync(host, TestPackage.Create("Fabrikam.Exchanged", "1.0.0").ToBytes(), key);
        var stored = (await host.Services.GetRequiredService<ApiKeyStore>().ListAsync()).Single();
        var keyRow = (await TrustedFeed.RowsAsync(host.Storage.ApiKeysTable)).Single();
        var message = (await host.Storage.EventsQueue.PeekMessageAsync()).Value.Body.ToString();

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal("no-store", exchange.Headers.CacheControl?.ToString());
        Assert.StartsWith(ApiKeyHasher.Prefix, key);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
        Assert.Equal($"trusted:contoso-lib:{claims["run_id"]}.1", body.RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outsideGlob.StatusCode);
        Assert.Equal(ApiKeyScopes.Push, stored.Scopes);
        Assert.Equal(["Contoso.*"], stored.PackageGlobs);
        Assert.Equal("contoso/lib", stored.TrustedPublisher!.Claims["repository"]);
        Assert.Equal(ApiKeyHasher.HashHex(key), keyRow.GetString("SecretHash"));
        Assert.DoesNotContain(keyRow.Select(p => p.Value), v => v?.ToString()?.Contains(key[^20..], StringComparison.Ordinal) == true);
        Assert.Contains($"\"keyName\":\"trusted:contoso-lib:{claims["run_id"]}.1\"", message);
        Assert.Contains("\"policy\":\"contoso-lib\"", message);
    }

    [Fact]
    public async Task The_token_may_come_as_a_bearer_header_and_the_lifetime_is_bounded_by_one_hour_and_the_policy_expiry()
    {
        await using var host = await TrustedFeed.StartAsync();
        var policyExpires = DateTimeOffset.UtcNow.AddMinutes(30);
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, expires: policyExpires));

        using var hour = await ExchangeAsync(host, Token(), lifetimeMinutes: 60, bearer: true);
        using var tooLong = await ExchangeAsync(host, Token(), lifetimeMinutes: 61);
        using var zero = await ExchangeAsync(host, Token(), lifetimeMinutes: 0);
        var hourExpires = (await hour.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expires").GetDateTimeOffset();

        Assert.Equal(HttpStatusCode.OK, hour.StatusCode);
        Assert.InRange(hourExpires, policyExpires.AddSeconds(-1), policyExpires.AddSeconds(1));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("lifetimeMinutes must be between 1 and 60.", tooLong.ReasonPhrase);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Single(await TrustedFeed.RowsAsync(host.Storage.ApiKeysTable));
    }

    [Fact]
    public async Task An_exchanged_key_stops_working_when_it_expires()
    {
        var clock = new ManualTimeProvider();
        await using var host = await TrustedFeed.StartAsync(services => services.AddSingleton<TimeProvider>(clock));
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        using var exchange = await ExchangeAsync(host, Token());
        var key = (await exchange.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("apiKey").GetString()!;

        using var inTime = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Expiring", "1.0.0").ToBytes(), key);
        clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        using var late = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Expiring", "2.0.0").ToBytes(), key);

        Assert.Equal(HttpStatusCode.Created, inTime.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, late.StatusCode);
        Assert.Equal("The specified API key is invalid, has expired, or has been revoked.", late.ReasonPhrase);
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Expiring", "2.0.0"));
    }

    [Fact]
    public async Task Refused_exchanges_issue_no_key_and_say_why()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var expired = Issuer.CreateToken(
            TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("contoso/lib"), notBefore: DateTimeOffset.UtcNow.AddMinutes(-10), expires: DateTimeOffset.UtcNow.AddMinutes(-5));

        using var none = await ExchangeAsync(host, token: null);
        using var garbage = await ExchangeAsync(host, "not-a-token");
        using var late = await ExchangeAsync(host, expired);
        using var stranger = await ExchangeAsync(host, Token("fabrikam/lib"));
        using var twoTokens = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + "/api/v2/token")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Token()) },
            Content = JsonContent.Create(new { token = Token() }),
        });
        using var notJson = await host.Client.PostAsync(host.BaseUrl + "/api/v2/token", new StringContent("token=abc"));

        Assert.Equal((HttpStatusCode.Unauthorized, "An OIDC token is required: JSON {\"token\": \"...\"} or an 'Authorization: Bearer' header."), (none.StatusCode, none.ReasonPhrase));
        Assert.Equal((HttpStatusCode.Unauthorized, "The token is malformed."), (garbage.StatusCode, garbage.ReasonPhrase));
        Assert.Equal((HttpStatusCode.Unauthorized, "The token has expired (exp)."), (late.StatusCode, late.ReasonPhrase));
        Assert.Equal((HttpStatusCode.Forbidden, "No trust policy accepts this token: its 'repository' claim does not match."), (stranger.StatusCode, stranger.ReasonPhrase));
        Assert.Equal(HttpStatusCode.BadRequest, twoTokens.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    /// <summary>The request exactly as the NuGet/login action sends it (headers and the body JSON.stringify makes).</summary>
    internal static HttpRequestMessage LoginActionRequest(string tokenServiceUrl, string oidcToken, string user)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, tokenServiceUrl)
        {
            Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"{{\"username\":\"{user}\",\"tokenType\":\"ApiKey\"}}")),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + oidcToken);
        request.Headers.TryAddWithoutValidation("User-Agent", "nuget/login-action");
        return request;
    }

    [Fact]
    public async Task The_nuget_login_action_request_gets_nuget_orgs_answer_and_refusals_as_json_errors()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer) with { User = "contoso" });
        var url = host.BaseUrl + "/api/v2/token";

        using var accepted = await host.Client.SendAsync(LoginActionRequest(url, Token(), "Contoso"));
        var answer = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        using var otherUser = await host.Client.SendAsync(LoginActionRequest(url, Token(), "fabrikam"));
        using var otherRepository = await host.Client.SendAsync(LoginActionRequest(url, Token("fabrikam/lib"), "contoso"));
        using var garbage = await host.Client.SendAsync(LoginActionRequest(url, "not-a-token", "contoso"));
        var wrongType = LoginActionRequest(url, Token(), "contoso");
        wrongType.Content = JsonContent.Create(new { username = "contoso", tokenType = "Bearer" });
        using var wrongTypeAnswer = await host.Client.SendAsync(wrongType);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(["tokenType", "expires", "apiKey", "name", "scopes", "packages"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ApiKey", answer.GetProperty("tokenType").GetString());
        Assert.InRange(DateTimeOffset.Parse(answer.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow,
            TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15.1));
        Assert.StartsWith(ApiKeyHasher.Prefix, answer.GetProperty("apiKey").GetString());
        await AssertJsonErrorAsync(otherUser, HttpStatusCode.Forbidden, "No trust policy accepts this token: the request's 'username' is not the user its trust policy names.");
        await AssertJsonErrorAsync(otherRepository, HttpStatusCode.Forbidden, "No trust policy accepts this token: its 'repository' claim does not match.");
        await AssertJsonErrorAsync(garbage, HttpStatusCode.Unauthorized, "The token is malformed.");
        Assert.Equal("Bearer", garbage.Headers.WwwAuthenticate.ToString());
        await AssertJsonErrorAsync(wrongTypeAnswer, HttpStatusCode.BadRequest, "The tokenType property must be 'ApiKey' (the only token type issued).");
        Assert.Single(await TrustedFeed.RowsAsync(host.Storage.ApiKeysTable));
    }

    /// <summary>What the NuGet/login action prints (the JSON error) and what the NuGet client prints (the status line) agree.</summary>
    internal static async Task AssertJsonErrorAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(reason, response.ReasonPhrase);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([("error", reason)], body.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public async Task A_one_time_use_policy_exchanges_a_token_once()
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer, oneTimeUse: true));
        var token = Token();

        using var first = await ExchangeAsync(host, token);
        using var again = await ExchangeAsync(host, token);
        using var direct = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Replay", "1.0.0").ToBytes(), token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal("The token was already used; its trust policy accepts each token once.", again.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Unauthorized, direct.StatusCode);
        Assert.Single(await TrustedFeed.RowsAsync(host.Storage.ApiKeysTable));
        Assert.Empty(await FeedHttp.AllRowsAsync(host));
    }

    [Fact]
    public async Task With_trusted_publishing_off_the_route_is_404_and_a_token_is_just_an_unknown_key_and_a_read_only_feed_refuses()
    {
        await using var off = await TrustedFeed.StartAsync(settings: new Dictionary<string, string?> { ["Feed:TrustedPublishing:Enabled"] = "false" });
        await TrustedFeed.AddPolicyAsync(off.Services, TrustedFeed.GitHubPolicy(Issuer));
        await using var readOnly = await TrustedFeed.StartAsync(settings: new Dictionary<string, string?> { ["Feed:ReadOnly"] = "true" });

        using var exchange = await ExchangeAsync(off, Token());
        using var push = await FeedHttp.PushAsync(off, TestPackage.Create("Contoso.Off", "1.0.0").ToBytes(), Token());
        using var readOnlyExchange = await ExchangeAsync(readOnly, Token());

        Assert.Equal(HttpStatusCode.NotFound, exchange.StatusCode);
        Assert.Equal("Trusted publishing is not enabled on this feed.", exchange.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, push.StatusCode);
        Assert.Equal("The specified API key is invalid, has expired, or has been revoked.", push.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, readOnlyExchange.StatusCode);
        await TrustedFeed.AssertNothingStoredAsync(off);
    }
}
