using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FeedFunctions.Feed;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Storage;

/// <summary>The feed's storage resources, one client each, from the service clients registered once in DI.</summary>
public sealed class FeedStorage(
    BlobServiceClient blobs, TableServiceClient tables, QueueServiceClient queues, IOptions<FeedOptions> options)
{
    public BlobContainerClient Packages { get; } = blobs.GetBlobContainerClient(options.Value.Storage.PackagesContainer);

    public TableClient PackagesTable { get; } = tables.GetTableClient(options.Value.Storage.PackagesTable);

    public TableClient ApiKeysTable { get; } = tables.GetTableClient(options.Value.Storage.ApiKeysTable);

    public TableClient AuditTable { get; } = tables.GetTableClient(options.Value.Storage.AuditTable);

    public TableClient TrustPoliciesTable { get; } = tables.GetTableClient(options.Value.Storage.TrustPoliciesTable);

    public TableClient TokenUsesTable { get; } = tables.GetTableClient(options.Value.Storage.TokenUsesTable);

    public BlobContainerClient Symbols { get; } = blobs.GetBlobContainerClient(options.Value.Storage.SymbolsContainer);

    public TableClient SymbolIndexTable { get; } = tables.GetTableClient(options.Value.Storage.SymbolIndexTable);
    public TableClient SearchIndexTable { get; } = tables.GetTableClient(options.Value.Storage.SearchIndexTable);
    public TableClient RetentionPinsTable { get; } = tables.GetTableClient(options.Value.Storage.RetentionPinsTable);

    public QueueClient EventsQueue { get; } = queues.GetQueueClient(options.Value.Storage.EventsQueue);

    public QueueClient PoisonQueue { get; } = queues.GetQueueClient(options.Value.Storage.PoisonQueue);

    /// <summary>Creates whatever is missing, in parallel: it runs on every cold start.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(
            Packages.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            PackagesTable.CreateIfNotExistsAsync(cancellationToken),
            ApiKeysTable.CreateIfNotExistsAsync(cancellationToken),
            AuditTable.CreateIfNotExistsAsync(cancellationToken),
            TrustPoliciesTable.CreateIfNotExistsAsync(cancellationToken),
            TokenUsesTable.CreateIfNotExistsAsync(cancellationToken),
            Symbols.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            SymbolIndexTable.CreateIfNotExistsAsync(cancellationToken),
            SearchIndexTable.CreateIfNotExistsAsync(cancellationToken),
            RetentionPinsTable.CreateIfNotExistsAsync(cancellationToken),
            EventsQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
}
