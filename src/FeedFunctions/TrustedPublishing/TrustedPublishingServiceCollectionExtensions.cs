namespace FeedFunctions.TrustedPublishing;

public static class TrustedPublishingServiceCollectionExtensions
{
    /// <summary>Trust policies, token validation against the issuers' published keys, one-time use, token exchange.</summary>
    public static IServiceCollection AddTrustedPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<TrustedPublishingOptions>(configuration.GetSection(TrustedPublishingOptions.SectionName));

        // Discovery and key sets are small documents from a trusted issuer: no redirects (each address is checked for
        // https before it is fetched), a short timeout and a bounded body.
        services.AddHttpClient(IssuerKeySource.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(10);
                client.MaxResponseContentBufferSize = 1024 * 1024;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        services.AddSingleton<TrustPolicyStore>();
        services.AddSingleton<IssuerKeySource>();
        services.AddSingleton<TokenUseLedger>();
        services.AddSingleton<TrustedTokenAuthenticator>();
        services.AddSingleton<TokenExchangeHandler>();
        return services;
    }
}
