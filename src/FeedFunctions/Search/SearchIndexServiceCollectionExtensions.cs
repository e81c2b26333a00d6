using FeedFunctions.Events;

namespace FeedFunctions.Search;

public static class SearchIndexServiceCollectionExtensions
{
    /// <summary>The search index: its event handler, its build at start-up, each instance's copy, and the search over it.</summary>
    public static IServiceCollection AddSearchIndex(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SearchIndexOptions.SectionName);
        if ((section.Get<SearchIndexOptions>() ?? new SearchIndexOptions()).Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        services.Configure<SearchIndexOptions>(section);
        services.AddSingleton<SearchIndexWriter>();
        services.AddSingleton<SearchIndexBuilder>();
        services.AddSingleton<SearchIndexSnapshot>();
        services.AddSingleton<PackageSearchService>();
        services.AddSingleton<IPackageEventHandler, SearchIndexHandler>();
        services.AddHostedService<SearchIndexBuildService>();
        return services;
    }
}
