using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>Pipeline options shared by the Blob, Queue and Table clients (retries, diagnostics, transport).</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        Diagnostics.IsDistributedTracingEnabled = false;
        Diagnostics.ApplicationId = "nuget-feed";
        foreach (var header in new[] { "x-ms-request-id", "x-ms-error-code", "x-ms-version", "ETag", "Content-Range" })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
    }

    /// <summary>Extra per-retry policies, placed before signing; tests use this to inject faults.</summary>
    public IList<HttpPipelinePolicy> PerRetryPolicies { get; } = new List<HttpPipelinePolicy>();
}
