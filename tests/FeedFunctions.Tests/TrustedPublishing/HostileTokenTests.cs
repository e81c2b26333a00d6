using System.Net;
using System.Text;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>
/// Tokens an attacker (or a broken pipeline) would send, in process over HTTP: each is refused with a reason that names
/// the failed check, 401 because it proves no identity, and nothing is stored. Tokens the library would not create
/// (<c>alg: none</c>, a tampered payload) are put together here, in the test only.
/// </summary>
public sealed class HostileTokenTests(OidcIssuerFixture fixture) : IClassFixture<OidcIssuerFixture>
{
    private TestOidcIssuer Issuer => fixture.Issuer;

    private static Dictionary<string, object> Claims() => TestOidcIssuer.GitHubClaims("contoso/lib");

    private async Task AssertRefusedAsync(string token, string reason, HttpStatusCode status = HttpStatusCode.Unauthorized)
    {
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Hostile", "1.0.0").ToBytes(), token);

        Assert.Equal(status, push.StatusCode);
        Assert.Equal(reason, push.ReasonPhrase);
        Assert.DoesNotContain(token, await push.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    private static string Segment(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    [Fact]
    public Task Wrong_audience_is_refused() =>
        AssertRefusedAsync(Issuer.CreateToken("https://other-feed.example", Claims()), "The token's audience (aud) is not one a trust policy of this feed accepts.");

    [Fact]
    public Task An_expired_token_is_refused_past_the_clock_skew() =>
        AssertRefusedAsync(
            Issuer.CreateToken(TrustedFeed.Audience, Claims(), notBefore: DateTimeOffset.UtcNow.AddMinutes(-10), expires: DateTimeOffset.UtcNow.AddMinutes(-2)),
            "The token has expired (exp).");

    [Fact]
    public Task A_token_not_valid_yet_is_refused_past_the_clock_skew() =>
        AssertRefusedAsync(
            Issuer.CreateToken(TrustedFeed.Audience, Claims(), notBefore: DateTimeOffset.UtcNow.AddMinutes(3), expires: DateTimeOffset.UtcNow.AddMinutes(10)),
            "The token is not valid yet (nbf).");

    [Fact]
    public Task A_tampered_payload_fails_the_signature()
    {
        var valid = Issuer.CreateToken(TrustedFeed.Audience, TestOidcIssuer.GitHubClaims("fabrikam/lib")).Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(valid[1])).Replace("fabrikam/lib", "contoso/lib", StringComparison.Ordinal);
        return AssertRefusedAsync($"{valid[0]}.{Segment(payload)}.{valid[2]}", "The token's signature is invalid.");
    }

    [Fact]
    public Task A_token_signed_by_another_key_under_a_published_kid_fails_the_signature()
    {
        var impostor = TestSigningKey.Rsa(Issuer.Rsa.Kid);
        return AssertRefusedAsync(Issuer.CreateToken(TrustedFeed.Audience, Claims(), impostor), "The token's signature is invalid.");
    }

    [Fact]
    public Task Alg_none_is_refused_before_any_key_lookup()
    {
        var claims = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.Issuer,
            Audience = TrustedFeed.Audience,
            Claims = Claims(),
            Expires = DateTime.UtcNow.AddMinutes(5),
        });
        var unsigned = $"{Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{claims.Split('.')[1]}.";
        return AssertRefusedAsync(unsigned, "The token's signing algorithm is not allowed (RS256 or ES256 only).");
    }

    [Fact]
    public Task Hs256_signed_with_the_issuers_public_key_is_refused()
    {
        var confused = new SymmetricSecurityKey(Issuer.Rsa.PublicKeyBytes()) { KeyId = Issuer.Rsa.Kid };
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer.Issuer,
            Audience = TrustedFeed.Audience,
            Claims = Claims(),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(confused, SecurityAlgorithms.HmacSha256),
        });
        return AssertRefusedAsync(token, "The token's signing algorithm is not allowed (RS256 or ES256 only).");
    }

    [Fact]
    public Task A_token_over_8_KB_is_refused_before_parsing()
    {
        var claims = Claims();
        claims["padding"] = new string('x', 9000);
        return AssertRefusedAsync(Issuer.CreateToken(TrustedFeed.Audience, claims), "The token is larger than 8192 bytes.");
    }

    [Fact]
    public Task A_kid_the_issuer_never_published_is_refused()
    {
        var rogue = TestSigningKey.Rsa("rogue-key");
        return AssertRefusedAsync(Issuer.CreateToken(TrustedFeed.Audience, Claims(), rogue), "The token's signing key (kid) is not among the issuer's published keys.");
    }

    [Fact]
    public async Task An_issuer_no_policy_names_is_refused_and_never_contacted()
    {
        await using var stranger = await TestOidcIssuer.StartAsync();

        await AssertRefusedAsync(stranger.CreateToken(TrustedFeed.Audience, Claims()), "The token's issuer is not trusted by any trust policy of this feed.");

        Assert.Equal(0, stranger.DiscoveryRequests + stranger.JwksRequests);
    }

    [Fact]
    public async Task A_loopback_http_issuer_is_refused_unless_the_setting_allows_it()
    {
        await using var host = await TrustedFeed.StartAsync(settings: new Dictionary<string, string?> { ["Feed:TrustedPublishing:AllowHttpLoopbackIssuers"] = "false" });
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(Issuer));
        var before = Issuer.DiscoveryRequests;

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Http", "1.0.0").ToBytes(), Issuer.CreateToken(TrustedFeed.Audience, Claims()));

        Assert.Equal(HttpStatusCode.Unauthorized, push.StatusCode);
        Assert.Equal("The token's issuer is not reachable over https, so its keys are not trusted.", push.ReasonPhrase);
        Assert.Equal(before, Issuer.DiscoveryRequests);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_once_so_a_rotated_key_is_accepted_on_its_first_use()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer));

        using var before = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotation", "1.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
        var fetchesBeforeRotation = issuer.JwksRequests;
        using var cached = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotation", "1.1.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
        var oldKey = issuer.Rsa;
        issuer.RotateRsa();
        using var rotated = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotation", "2.0.0").ToBytes(), issuer.CreateToken(TrustedFeed.Audience, Claims()));
        var fetchesAfterRotation = issuer.JwksRequests;
        using var retired = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Rotation", "3.0.0").ToBytes(),
            issuer.CreateToken(TrustedFeed.Audience, Claims(), oldKey));

        Assert.True(before.StatusCode == HttpStatusCode.Created, before.ReasonPhrase);
        Assert.True(cached.StatusCode == HttpStatusCode.Created, cached.ReasonPhrase);
        Assert.Equal(1, fetchesBeforeRotation);
        Assert.True(rotated.StatusCode == HttpStatusCode.Created, rotated.ReasonPhrase);
        Assert.Equal(2, fetchesAfterRotation);
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        Assert.Equal("The token's signing key (kid) is not among the issuer's published keys.", retired.ReasonPhrase);
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Rotation", "3.0.0"));
    }

    [Fact]
    public async Task Forged_kids_cannot_make_the_feed_fetch_the_keys_more_than_once_per_refresh_interval()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        await using var host = await TrustedFeed.StartAsync(settings: new Dictionary<string, string?> { ["Feed:TrustedPublishing:UnknownKeyRefreshInterval"] = "00:10:00" });
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(issuer));

        var forger = TestSigningKey.Rsa("forged");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Forged", "1.0.0").ToBytes(),
                issuer.CreateToken(TrustedFeed.Audience, Claims(), forger.WithKid("forged-" + i)));
            statuses.Add(push.StatusCode);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.InRange(issuer.JwksRequests, 1, 2);
        await TrustedFeed.AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task An_unreachable_issuer_or_one_whose_discovery_names_another_issuer_gets_503_and_nothing_is_stored()
    {
        var down = await TestOidcIssuer.StartAsync();
        var liar = await TestOidcIssuer.StartAsync();
        await using var _ = liar;
        liar.DiscoveryIssuerOverride = "https://token.actions.githubusercontent.com";
        await using var host = await TrustedFeed.StartAsync();
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(down, name: "down"));
        await TrustedFeed.AddPolicyAsync(host.Services, TrustedFeed.GitHubPolicy(liar, name: "liar"));
        var downToken = down.CreateToken(TrustedFeed.Audience, Claims());
        await down.DisposeAsync();

        using var toDown = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Down", "1.0.0").ToBytes(), downToken);
        using var toLiar = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Liar", "1.0.0").ToBytes(), liar.CreateToken(TrustedFeed.Audience, Claims()));

        foreach (var response in new[] { toDown, toLiar })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("The token issuer's signing keys could not be retrieved. Please retry.", response.ReasonPhrase);
        }

        await TrustedFeed.AssertNothingStoredAsync(host);
    }
}
