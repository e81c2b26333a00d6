using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.TrustedPublishing;

/// <summary>One local OIDC issuer shared by a test class (tests that rotate keys start their own).</summary>
public sealed class OidcIssuerFixture : IAsyncLifetime
{
    private TestOidcIssuer? _issuer;

    public TestOidcIssuer Issuer => _issuer ?? throw new InvalidOperationException("The issuer did not start.");

    public async Task InitializeAsync() => _issuer = await TestOidcIssuer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_issuer is not null)
        {
            await _issuer.DisposeAsync();
        }
    }
}
