using FeedFunctions.Feed;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Storage;

/// <summary>The feed's storage resources, one client each, sharing one pipeline per service.</summary>
public sealed class FeedStorage
{
    public FeedStorage(StorageConnection connection, IOptions<FeedOptions> options, StorageClientOptions? clientOptions = null)
    {
        var names = options.Value.Storage;
        var blobPipeline = StoragePipeline.Build(connection, StorageService.Blob, clientOptions);
        var tablePipeline = StoragePipeline.Build(connection, StorageService.Table, clientOptions);
        var queuePipeline = StoragePipeline.Build(connection, StorageService.Queue, clientOptions);
        Packages = new BlobContainerClient(blobPipeline, connection.BlobEndpoint, names.PackagesContainer);
        PackagesTable = new TableClient(tablePipeline, connection.TableEndpoint, names.PackagesTable);
        ApiKeysTable = new TableClient(tablePipeline, connection.TableEndpoint, names.ApiKeysTable);
        AuditTable = new TableClient(tablePipeline, connection.TableEndpoint, names.AuditTable);
        EventsQueue = new QueueClient(queuePipeline, connection.QueueEndpoint, names.EventsQueue);
        PoisonQueue = new QueueClient(queuePipeline, connection.QueueEndpoint, names.PoisonQueue);
    }

    public BlobContainerClient Packages { get; }

    public TableClient PackagesTable { get; }

    public TableClient ApiKeysTable { get; }

    public TableClient AuditTable { get; }

    public QueueClient EventsQueue { get; }

    public QueueClient PoisonQueue { get; }

    /// <summary>Creates whatever is missing, in parallel: it runs on every cold start.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            Packages.CreateIfNotExistsAsync(cancellationToken),
            PackagesTable.CreateIfNotExistsAsync(cancellationToken),
            ApiKeysTable.CreateIfNotExistsAsync(cancellationToken),
            AuditTable.CreateIfNotExistsAsync(cancellationToken),
            EventsQueue.CreateIfNotExistsAsync(cancellationToken),
            PoisonQueue.CreateIfNotExistsAsync(cancellationToken));
}
