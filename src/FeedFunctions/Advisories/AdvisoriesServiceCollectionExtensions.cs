using FeedFunctions.Events;

namespace FeedFunctions.Advisories;

public static class AdvisoriesServiceCollectionExtensions
{
    /// <summary>Deprecations, advisories, the VulnerabilityInfo resource and the snapshot's event handler.</summary>
    public static IServiceCollection AddAdvisories(this IServiceCollection services)
    {
        services.AddSingleton<AdvisorySnapshot>();
        services.AddSingleton<AdvisoryStore>();
        services.AddSingleton<DeprecationStore>();
        services.AddSingleton<VulnerabilityInfoHandler>();
        services.AddSingleton<ManagementHandler>();
        services.AddSingleton<IPackageEventHandler, AdvisorySnapshotHandler>();
        return services;
    }
}
