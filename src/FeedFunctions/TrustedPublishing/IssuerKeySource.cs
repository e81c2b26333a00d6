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

    private readonly ConcurrentDictionary<string, IssuerEntry> _issuers = new(StringComparer.Ordinal);
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
        var entry = Entry(issuer);
        var configuration = await FetchAsync(entry, cancellationToken).ConfigureAwait(false);

        // A discovery document must describe the issuer it was fetched for (OpenID Connect Discovery 1.0, section 4.3).
        if (!DescribesIssuer(configuration, issuer))
        {
            // The manager caches a refused document as it would a good one (for MetadataRefreshInterval), so without
            // this the issuer would stay refused long after it is fixed. A refused document is a failed fetch: ask for
            // it again, which the manager honours at most once per UnknownKeyRefreshInterval.
            entry.Manager.RequestRefresh();
            configuration = await FetchAsync(entry, cancellationToken).ConfigureAwait(false);
            if (!DescribesIssuer(configuration, issuer))
            {
                throw new IssuerMetadataException("the discovery document names another issuer", null);
            }
        }

        return configuration.SigningKeys;
    }

    /// <summary>
    /// The keys fetched again (a token named a key id the cached set lacks: a rotation). The manager honours the
    /// refresh at most once per <see cref="TrustedPublishingOptions.UnknownKeyRefreshInterval"/>.
    /// </summary>
    /// <exception cref="IssuerMetadataException">
    /// The latest fetch failed: the issuer cannot be reached, so the cached keys may be stale and the key id may well be
    /// published. The manager would hand out the stale keys without a word, and the token would be refused for good.
    /// </exception>
    public async Task<ICollection<SecurityKey>> GetRefreshedKeysAsync(string issuer, CancellationToken cancellationToken)
    {
        var entry = Entry(issuer);
        entry.Manager.RequestRefresh();
        var keys = await GetKeysAsync(issuer, cancellationToken).ConfigureAwait(false);
        if (entry.Fetches.LastFetchFailed)
        {
            throw new IssuerMetadataException("the keys could not be fetched again for a key id the cached set lacks", null);
        }

        return keys;
    }

    private static async Task<OpenIdConnectConfiguration> FetchAsync(IssuerEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or ArgumentException or TaskCanceledException)
        {
            throw new IssuerMetadataException("the discovery document or the key set could not be fetched", ex);
        }
    }

    private static bool DescribesIssuer(OpenIdConnectConfiguration configuration, string issuer) =>
        string.Equals(configuration.Issuer, issuer, StringComparison.Ordinal);

    private IssuerEntry Entry(string issuer)
    {
        if (_issuers.TryGetValue(issuer, out var existing))
        {
            return existing;
        }

        if (_issuers.Count >= Math.Max(1, _options.MaxCachedIssuers))
        {
            // More issuers than the bound: start over rather than grow (policies name few issuers; this is a backstop).
            _issuers.Clear();
        }

        return _issuers.GetOrAdd(issuer, Create);
    }

    private IssuerEntry Create(string issuer)
    {
        var client = _clients.CreateClient(HttpClientName);
        IDocumentRetriever retriever = _options.AllowHttpLoopbackIssuers
            ? new LoopbackDocumentRetriever(new HttpDocumentRetriever(client) { RequireHttps = false })
            : new HttpDocumentRetriever(client) { RequireHttps = true };
        var fetches = new FetchOutcomeRecorder(retriever);
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(IssuerUri.DiscoveryAddress(issuer), new OpenIdConnectConfigurationRetriever(), fetches)
        {
            AutomaticRefreshInterval = Max(_options.MetadataRefreshInterval, ConfigurationManager<OpenIdConnectConfiguration>.MinimumAutomaticRefreshInterval),
            RefreshInterval = Max(_options.UnknownKeyRefreshInterval, ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval),
        };
        return new IssuerEntry(manager, fetches);
    }

    private static TimeSpan Max(TimeSpan value, TimeSpan minimum) => value < minimum ? minimum : value;

    private sealed record IssuerEntry(ConfigurationManager<OpenIdConnectConfiguration> Manager, FetchOutcomeRecorder Fetches);
}
