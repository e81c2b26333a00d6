using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// The signing keys of trusted issuers: OpenID Connect discovery (<c>{issuer}/.well-known/openid-configuration</c>,
/// then its <c>jwks_uri</c>) through one <see cref="ConfigurationManager{T}"/> per issuer, which caches and refreshes.
/// Only issuers named by stored policies get here (the caller looks the token's issuer up among the policies first),
/// and at most <see cref="TrustedPublishingOptions.MaxCachedIssuers"/> are held.
/// </summary>
public sealed class IssuerKeySource
{
    public const string HttpClientName = "oidc-discovery";

    /// <summary>
    /// Makes <see cref="ConfigurationManager{T}.RequestRefresh"/> mark the configuration stale so that the next
    /// <c>GetConfigurationAsync</c> fetches it, instead of refreshing in the background while the caller goes on with the
    /// old keys: a token signed with a freshly rotated key must validate on its first request. Set in runtimeconfig.json
    /// (FeedFunctions.csproj): IdentityModel caches the switch the first time it reads it.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> _managers = new(StringComparer.Ordinal);
    private readonly IHttpClientFactory _clients;
    private readonly TrustedPublishingOptions _options;

    public IssuerKeySource(IHttpClientFactory clients, IOptions<TrustedPublishingOptions> options, ILogger<IssuerKeySource> logger)
    {
        _clients = clients;
        _options = options.Value;
        if (!AppContext.TryGetSwitch(BlockingRefreshSwitch, out var blocking) || !blocking)
        {
            logger.LogWarning("{Switch} is not set: a rotated issuer key is picked up in the background, so its first tokens are refused", BlockingRefreshSwitch);
        }
    }

    /// <exception cref="IssuerMetadataException">Discovery or the key set could not be fetched or is not acceptable.</exception>
    public async Task<ICollection<SecurityKey>> GetKeysAsync(string issuer, CancellationToken cancellationToken)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await Manager(issuer).GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or ArgumentException or TaskCanceledException)
        {
            throw new IssuerMetadataException("the discovery document or the key set could not be fetched", ex);
        }

        // A discovery document must describe the issuer it was fetched for (OpenID Connect Discovery 1.0, section 4.3).
        if (!string.Equals(configuration.Issuer, issuer, StringComparison.Ordinal))
        {
            throw new IssuerMetadataException("the discovery document names another issuer", null);
        }

        return configuration.SigningKeys;
    }

    /// <summary>
    /// Asks for the keys to be fetched again on the next <see cref="GetKeysAsync"/> (a token named a key id the cached
    /// set lacks). The manager honours this at most once per <see cref="TrustedPublishingOptions.UnknownKeyRefreshInterval"/>.
    /// </summary>
    public void RequestRefresh(string issuer) => Manager(issuer).RequestRefresh();

    private ConfigurationManager<OpenIdConnectConfiguration> Manager(string issuer)
    {
        if (_managers.TryGetValue(issuer, out var existing))
        {
            return existing;
        }

        if (_managers.Count >= Math.Max(1, _options.MaxCachedIssuers))
        {
            // More issuers than the bound: start over rather than grow (policies name few issuers; this is a backstop).
            _managers.Clear();
        }

        return _managers.GetOrAdd(issuer, Create);
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Create(string issuer)
    {
        var client = _clients.CreateClient(HttpClientName);
        IDocumentRetriever retriever = _options.AllowHttpLoopbackIssuers
            ? new LoopbackDocumentRetriever(new HttpDocumentRetriever(client) { RequireHttps = false })
            : new HttpDocumentRetriever(client) { RequireHttps = true };
        return new ConfigurationManager<OpenIdConnectConfiguration>(IssuerUri.DiscoveryAddress(issuer), new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = Max(_options.MetadataRefreshInterval, ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval),
            RefreshInterval = Max(_options.UnknownKeyRefreshInterval, ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval),
        };
    }

    private static TimeSpan Max(TimeSpan value, TimeSpan minimum) => value < minimum ? minimum : value;
}
