using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// A local OIDC issuer on loopback http, shaped like GitHub Actions' (https://token.actions.githubusercontent.com):
/// OpenID Connect discovery at <c>/.well-known/openid-configuration</c>, keys at <c>/.well-known/jwks</c> (an RSA and an
/// EC P-256 key), key rotation, and tokens with GitHub's claim names and formats (<see cref="GitHubClaims"/>), signed
/// with <see cref="JsonWebTokenHandler.CreateToken(SecurityTokenDescriptor)"/>. Counts the requests it serves.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private static readonly JsonWebTokenHandler Handler = new();

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private volatile TestSigningKey[] _published;

    private TestOidcIssuer(WebApplication app)
    {
        _app = app;
        Rsa = TestSigningKey.Rsa("rsa-" + Guid.NewGuid().ToString("N")[..8]);
        Ec = TestSigningKey.EcP256("ec-" + Guid.NewGuid().ToString("N")[..8]);
        _published = [Rsa, Ec];
    }

    public string Issuer { get; private set; } = string.Empty;

    /// <summary>The current RSA key (RS256), published.</summary>
    public TestSigningKey Rsa { get; private set; }

    /// <summary>The EC key (ES256), published.</summary>
    public TestSigningKey Ec { get; }

    /// <summary>When set, the discovery document claims to describe this issuer instead (a misconfigured or hostile issuer).</summary>
    public string? DiscoveryIssuerOverride { get; set; }

    /// <summary>When set, every request's connection is dropped (an issuer that is down: "connection refused" to the feed).</summary>
    public bool Unavailable { get; set; }

    public int DiscoveryRequests => _requests.GetValueOrDefault("discovery");

    public int JwksRequests => _requests.GetValueOrDefault("jwks");

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var issuer = new TestOidcIssuer(app);
        app.Use(async (context, next) =>
        {
            if (issuer.Unavailable)
            {
                issuer._requests.AddOrUpdate("refused", 1, (_, n) => n + 1);
                context.Abort();
                return;
            }

            await next(context);
        });
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            issuer._requests.AddOrUpdate("discovery", 1, (_, n) => n + 1);
            return Results.Text(new JsonObject
            {
                ["issuer"] = issuer.DiscoveryIssuerOverride ?? issuer.Issuer,
                ["jwks_uri"] = issuer.Issuer + "/.well-known/jwks",
                ["subject_types_supported"] = new JsonArray("public", "pairwise"),
                ["response_types_supported"] = new JsonArray("id_token"),
                ["claims_supported"] = new JsonArray("sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "repository", "repository_id", "repository_owner",
                    "repository_owner_id", "run_id", "run_number", "run_attempt", "actor", "workflow", "workflow_ref", "event_name", "ref_type", "environment",
                    "job_workflow_ref"),
                ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "ES256"),
                ["scopes_supported"] = new JsonArray("openid"),
            }.ToJsonString(), "application/json");
        });
        app.MapGet("/.well-known/jwks", () =>
        {
            issuer._requests.AddOrUpdate("jwks", 1, (_, n) => n + 1);
            return Results.Text(new JsonObject { ["keys"] = new JsonArray(issuer._published.Select(k => (JsonNode)k.PublicJwk.DeepClone()).ToArray()) }.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        issuer.Issuer = address.TrimEnd('/');
        return issuer;
    }

    /// <summary>Replaces the RSA key with a new one (new kid); the old one is no longer published.</summary>
    public TestSigningKey RotateRsa()
    {
        Rsa = TestSigningKey.Rsa("rsa-" + Guid.NewGuid().ToString("N")[..8]);
        _published = [Rsa, Ec];
        return Rsa;
    }

    /// <summary>GitHub Actions' claims for a run of <c>publish.yml</c> in <paramref name="repository"/> (owner/name).</summary>
    /// <remarks>
    /// The numeric ids default to ones that stand for this repository and owner name, as GitHub's would; pass others to
    /// play a repository deleted and re-created under the same name.
    /// </remarks>
    public static Dictionary<string, object> GitHubClaims(
        string repository, string gitRef = "refs/heads/main", string? environment = null, string? repositoryId = null, string? ownerId = null)
    {
        var owner = repository.Split('/')[0];
        var runId = Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString(),
            ["sub"] = environment is null ? $"repo:{repository}:ref:{gitRef}" : $"repo:{repository}:environment:{environment}",
            ["ref"] = gitRef,
            ["sha"] = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000",
            ["repository"] = repository,
            ["repository_owner"] = owner,
            ["repository_owner_id"] = ownerId ?? StableId(owner),
            ["repository_id"] = repositoryId ?? StableId(repository),
            ["repository_visibility"] = "private",
            ["run_id"] = runId,
            ["run_number"] = "42",
            ["run_attempt"] = "1",
            ["runner_environment"] = "github-hosted",
            ["actor"] = "octocat",
            ["actor_id"] = "583231",
            ["workflow"] = "publish",
            ["head_ref"] = string.Empty,
            ["base_ref"] = string.Empty,
            ["event_name"] = "push",
            ["ref_type"] = gitRef.StartsWith("refs/tags/", StringComparison.Ordinal) ? "tag" : "branch",
            ["ref_protected"] = "false",
            ["workflow_ref"] = $"{repository}/.github/workflows/publish.yml@{gitRef}",
            ["workflow_sha"] = "4b1a2f5a6c0d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
            ["job_workflow_ref"] = $"{repository}/.github/workflows/publish.yml@{gitRef}",
            ["job_workflow_sha"] = "4b1a2f5a6c0d7e8f9a0b1c2d3e4f5a6b7c8d9e0f",
        };
        if (environment is not null)
        {
            claims["environment"] = environment;
        }

        return claims;
    }

    /// <summary>A number that stands for <paramref name="name"/> across runs (string.GetHashCode is randomised per process).</summary>
    public static string StableId(string name) =>
        (BitConverter.ToUInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)), 0) % 900_000_000 + 100_000_000)
        .ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A token from this issuer (or <paramref name="issuer"/>), valid for 5 minutes from now unless told otherwise,
    /// signed with <paramref name="key"/> (default: the current RSA key).
    /// </summary>
    public string CreateToken(
        string audience, IDictionary<string, object> claims, TestSigningKey? key = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null,
        string? issuer = null)
    {
        var now = DateTimeOffset.UtcNow;
        var signing = key ?? Rsa;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (notBefore ?? now).UtcDateTime,
            NotBefore = (notBefore ?? now).UtcDateTime,
            Expires = (expires ?? now.AddMinutes(5)).UtcDateTime,
            SigningCredentials = signing.Credentials,
            TokenType = "JWT",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
