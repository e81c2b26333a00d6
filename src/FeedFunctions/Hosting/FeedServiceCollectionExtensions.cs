using FeedFunctions.Advisories;
using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using FeedFunctions.Search;
using FeedFunctions.Retention;
using FeedFunctions.Storage;
using FeedFunctions.Symbols;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Hosting;

public static class FeedServiceCollectionExtensions
{
    /// <summary>Everything the feed's functions use: settings, storage, keys, trusted publishing, publishing, events and the read side.</summary>
    public static IServiceCollection AddFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<FeedOptions>(configuration.GetSection(FeedOptions.SectionName));
        services.AddFeedStorage(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<PackageUploadReader>();
        services.AddSingleton<PackageStore>();
        services.AddSingleton<PackageEventOutbox>();
        services.AddSingleton<WriteAccess>();
        services.AddSingleton<ReadAccess>();
        services.AddSingleton<AfterResponseWork>();
        services.AddHostedService(sp => sp.GetRequiredService<AfterResponseWork>());
        services.AddSingleton<PushHandler>();
        services.AddSingleton<ListingHandler>();
        services.AddSingleton<DownloadHandler>();
        services.AddSingleton<FeedHttpPipeline>();
        services.AddSingleton<FunctionIndexingCheck>();
        services.AddTrustedPublishing(configuration);
        services.AddPackageEvents(configuration);
        services.AddRetention(configuration);
        services.AddFeedReadSide();
        services.AddSymbols(configuration);
        services.AddAdvisories();
        services.AddSearchIndex(configuration);
        return services;
    }
}
