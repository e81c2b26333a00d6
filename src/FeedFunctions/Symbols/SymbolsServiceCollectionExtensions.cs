using FeedFunctions.Events;

namespace FeedFunctions.Symbols;

public static class SymbolsServiceCollectionExtensions
{
    /// <summary>The symbol server: its settings, the index, the SSQP download and the clean-up on package.deleted.</summary>
    public static IServiceCollection AddSymbols(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SymbolsOptions>().Bind(configuration.GetSection(SymbolsOptions.SectionName))
            .Validate(o => o.Validate() is null, "Feed:Symbols:MaxPdbSizeBytes must be between 1 and 2147483647.").ValidateOnStart();
        services.AddSingleton<SymbolIndex>();
        services.AddSingleton<SymbolVersionLock>();
        services.AddSingleton<SymbolDownloadHandler>();
        services.AddSingleton<SymbolCleanupHandler>();
        services.AddSingleton<IPackageEventHandler>(sp => sp.GetRequiredService<SymbolCleanupHandler>());
        return services;
    }
}
