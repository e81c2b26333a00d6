using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Overrides of the storage retry options (MaxRetries, Delay, MaxDelay, NetworkTimeout, Mode).</summary>
    public const string RetrySectionName = "Feed:Storage:Retry";

    /// <summary>
    /// Registers the Blob, Queue and Table service clients once (Microsoft.Extensions.Azure), the feed's
    /// <see cref="FeedStorage"/> over them, and the background creation of its containers, tables and queues.
    /// Every <see cref="HttpPipelinePolicy"/> registered in the container is added to each storage client's
    /// pipeline, per retry: that is how tests inject storage faults into the real SDK clients.
    /// </summary>
    public static IServiceCollection AddFeedStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(StorageConnectionSettings.ForBlobs(configuration));
            clients.AddTableServiceClient(StorageConnectionSettings.ForTables(configuration));

            // The Functions queue trigger reads base64 message bodies.
            clients.AddQueueServiceClient(StorageConnectionSettings.ForQueues(configuration))
                .ConfigureOptions(options => options.MessageEncoding = QueueMessageEncoding.Base64);
            clients.ConfigureDefaults((options, provider) =>
            {
                // Short first retries: storage faults are mostly transient, and a push waits on each of them.
                options.Retry.Mode = RetryMode.Exponential;
                options.Retry.MaxRetries = 3;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
                // Per network operation (a request, or one read of a response body), not per transfer. The SDK's
                // 100 s let a stalled storage hold a push for minutes (4 tries); 15 s bounds it to about a minute,
                // after which the push answers 503 + Retry-After and nothing is half-committed.
                options.Retry.NetworkTimeout = TimeSpan.FromSeconds(15);
                configuration.GetSection(RetrySectionName).Bind(options.Retry);
                // Spans for storage calls (child spans of the push): created only while a tracer listens (Telemetry/).
                options.Diagnostics.IsDistributedTracingEnabled = true;
                options.Diagnostics.ApplicationId = "nuget-feed";
                foreach (var policy in provider.GetServices<HttpPipelinePolicy>())
                {
                    options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
                }
            });
        });
        services.AddSingleton<FeedStorage>();
        services.AddSingleton<FeedStorageReadiness>();
        services.AddHostedService<FeedStorageInitializer>();
        return services;
    }
}
