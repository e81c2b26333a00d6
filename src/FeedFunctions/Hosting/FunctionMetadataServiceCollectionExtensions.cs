using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace FeedFunctions.Hosting;

public static class FunctionMetadataServiceCollectionExtensions
{
    /// <summary>
    /// In the worker: wraps the Worker SDK's metadata provider (which reads functions.metadata) in
    /// <see cref="ConfiguredFunctionMetadataProvider"/>. Call after the Functions worker services are registered.
    /// </summary>
    public static IServiceCollection AddConfiguredFunctionMetadata(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IFunctionMetadataProvider))
            ?? throw new InvalidOperationException("The Functions worker registers no IFunctionMetadataProvider to wrap.");
        services.Remove(registered);
        services.AddSingleton<IFunctionMetadataProvider>(sp => new ConfiguredFunctionMetadataProvider(
            (IFunctionMetadataProvider)Create(sp, registered), sp.GetRequiredService<IConfiguration>()));
        return services;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);
}
