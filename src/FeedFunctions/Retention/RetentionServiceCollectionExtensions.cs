using FeedFunctions.Events;
using FeedFunctions.Packages;

namespace FeedFunctions.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// Retention (its settings read and checked here, so a bad value stops start-up with its reason) and the handler
    /// that finishes hard deletes (<see cref="DeletedPackageBlobsHandler"/>), which every delete relies on, retention's
    /// or a request's.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        var options = RetentionOptions.Read(configuration);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton<RetentionPinStore>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<IPackageEventHandler, DeletedPackageBlobsHandler>();
        services.AddSingleton<IPackageEventHandler, RetentionHandler>();
        return services;
    }
}
