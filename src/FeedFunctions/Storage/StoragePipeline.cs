using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>Builds the Azure.Core pipeline for one storage service: version headers, retries, and auth.</summary>
public static class StoragePipeline
{
    /// <summary>Blob and Queue: Azurite 3.37 accepts up to 2026-06-06; newer values are refused with 400.</summary>
    public const string BlobQueueVersion = "2025-11-05";

    /// <summary>Table: the newest version Azure.Data.Tables knows.</summary>
    public const string TableVersion = "2020-12-06";

    private const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageConnection connection, StorageService service, StorageClientOptions? options = null)
    {
        options ??= new StorageClientOptions();
        var perCall = new HttpPipelinePolicy[] { new StorageVersionPolicy(service) };
        var perRetry = new List<HttpPipelinePolicy>(options.PerRetryPolicies);
        if (connection.SharedKey is { } key)
        {
            perRetry.Add(service == StorageService.Table ? new TableSharedKeyPolicy(key) : new StorageSharedKeyPolicy(key));
        }
        else if (connection.TokenCredential is { } credential)
        {
            perRetry.Add(new BearerTokenAuthenticationPolicy(credential, StorageScope));
        }

        return HttpPipelineBuilder.Build(options, perCall, perRetry.ToArray(), new StorageResponseClassifier());
    }

    private sealed class StorageVersionPolicy(StorageService service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (service == StorageService.Table)
            {
                message.Request.Headers.SetValue("x-ms-version", TableVersion);
                message.Request.Headers.SetValue("DataServiceVersion", "3.0");
                message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
            }
            else
            {
                message.Request.Headers.SetValue("x-ms-version", BlobQueueVersion);
            }
        }
    }
}
