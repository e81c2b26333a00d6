using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// A Functions host of its own for trusted publishing (the issuer must be trusted from start-up: loopback http allowed),
/// a local OIDC issuer, and the trust policy a GitHub Actions release workflow of <c>contoso/lib</c> would get from the
/// README: repository and ref exact, environment <c>prod</c>, push scope on <c>Contoso.*</c>, user <c>contoso</c>, GitHub ids
/// pinned by the first accepted token. Stored before the first
/// request, so the host's 30 s policy cache never hides it.
/// </summary>
public sealed class TrustedHost : IAsyncLifetime
{
    public const string Audience = "https://feed.example.test/contoso";

    public const string PolicyName = "contoso-lib-release";

    /// <summary>The policy's user: what the NuGet/login action's <c>user</c> input must say.</summary>
    public const string User = "contoso";

    private FunctionsHost? _host;
    private TestOidcIssuer? _issuer;

    public FunctionsHost Host => _host ?? throw new InvalidOperationException(FunctionsHost.SkipReason ?? "The host did not start.");

    public TestOidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("The issuer did not start.");

    public async Task InitializeAsync()
    {
        if (FunctionsHost.SkipReason is not null)
        {
            return;
        }

        _issuer = await TestOidcIssuer.StartAsync();
        _host = await FunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["Feed__TrustedPublishing__AllowHttpLoopbackIssuers"] = "true",
            ["Feed__TrustedPublishing__UnknownKeyRefreshInterval"] = "00:00:01",
        });
        await new TrustPolicyStore(_host.Storage, TimeProvider.System).AddAsync(new TrustPolicy(
            PolicyName,
            _issuer.Issuer,
            Audience,
            new Dictionary<string, string> { ["repository"] = "contoso/lib", ["ref"] = "refs/heads/main", ["environment"] = "prod" },
            ApiKeyScopes.Push,
            ["Contoso.*"],
            DateTimeOffset.UtcNow,
            null,
            OneTimeUse: false,
            User: User));
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }
    }
}
