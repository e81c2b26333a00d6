namespace FeedFunctions.Feed;

public static class ReadSideServiceCollectionExtensions
{
    /// <summary>The V3 read side's handlers (service index, flat container, registration, search, symbols).</summary>
    public static IServiceCollection AddFeedReadSide(this IServiceCollection services)
    {
        services.AddSingleton<FlatContainerHandler>();
        services.AddSingleton<RegistrationHandler>();
        services.AddSingleton<PackageRowQueries>();
        services.AddSingleton<SearchHandler>();
        services.AddSingleton<SymbolPackageHandler>();
        return services;
    }
}
