namespace FeedFunctions.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>Event handlers (audit log, webhooks) and the dispatcher the queue trigger calls.</summary>
    public static IServiceCollection AddPackageEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EventsOptions>(configuration.GetSection(EventsOptions.SectionName));
        services.AddSingleton<PackageEventDispatcher>();
        services.AddSingleton<AuditLogHandler>();
        services.AddSingleton<IPackageEventHandler>(sp => sp.GetRequiredService<AuditLogHandler>());

        var webhooks = configuration.GetSection("Feed:Webhooks").Get<List<WebhookOptions>>()?.Where(w => !string.IsNullOrWhiteSpace(w.Url)).ToList() ?? [];
        if (webhooks.Select(w => w.Validate()).FirstOrDefault(error => error is not null) is { } problem)
        {
            throw new InvalidOperationException("Feed:Webhooks is invalid: " + problem);
        }

        if (webhooks.Count > 0)
        {
            // Redirects are handled by WebhookHandler itself, which only follows them on the same host.
            services.AddHttpClient(WebhookHandler.ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
            services.AddSingleton<IPackageEventHandler>(sp => new WebhookHandler(
                webhooks, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TimeProvider>()));
        }

        return services;
    }
}
