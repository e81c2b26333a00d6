namespace FeedFunctions.Feed;

public static class ReadSideServiceCollectionExtensions
{
    /// <summary>The V3 read side's handlers (service index, flat container, registration, search, symbols) and the package browser's.</summary>
    public static IServiceCollection AddFeedReadSide(this IServiceCollection services)
    {
        services.AddSingleton<FlatContainerHandler>();
        services.AddSingleton<RegistrationHandler>();
        services.AddSingleton<PackageRowQueries>();
        services.AddSingleton<SearchHandler>();
        services.AddSingleton<SymbolPackageHandler>();
        services.AddSingleton<Pages.PageHandler>();
        return services;
    }
}
