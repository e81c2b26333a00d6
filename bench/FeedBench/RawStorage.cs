using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;

namespace FeedBench;

/// <summary>
/// The physical floor: the storage writes a durable push needs at the least, made straight into the same Azurite
/// with the Azure SDK clients the feed uses (its default upload path: one Put Blob up to 256 MiB), no HTTP hop, no
/// validation: the package blob (create-only), its row (insert), and its event (one queue message).
/// </summary>
internal sealed class RawStorage
{
    private readonly BlobContainerClient _container;
    private readonly TableClient _table;
    private readonly QueueClient _queue;

    public RawStorage(string connectionString, string prefix)
    {
        _container = new BlobContainerClient(connectionString, prefix + "-raw");
        _table = new TableClient(connectionString, prefix + "Raw");
        _queue = new QueueClient(connectionString, prefix + "-raw", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    }

    public TableClient Table => _table;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Blob, then row, then message, one after the other: the floor of one push's latency.</summary>
    public async Task StoreAsync(string id, string version, ArraySegment<byte> bytes, CancellationToken cancellationToken)
    {
        var lowerId = id.ToLowerInvariant();
        await PutBlobAsync($"{lowerId}/{version}/{lowerId}.{version}.nupkg", bytes, cancellationToken).ConfigureAwait(false);
        await InsertRowAsync(lowerId, version, cancellationToken).ConfigureAwait(false);
        await _queue.SendMessageAsync($"{{\"packageId\":\"{id}\",\"version\":\"{version}\"}}", cancellationToken).ConfigureAwait(false);
    }

    public Task PutBlobAsync(string name, ArraySegment<byte> bytes, CancellationToken cancellationToken) =>
        _container.GetBlobClient(name).UploadAsync(
            new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false),
            new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            },
            cancellationToken);

    /// <summary>One row of about the size of a package row, inserted create-only like the feed's commit.</summary>
    public Task InsertRowAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(
            new TableEntity(partitionKey, rowKey) { ["Payload"] = new string('x', 1024), ["Listed"] = true, ["Size"] = 4096L },
            cancellationToken);

    /// <summary>Frees what <see cref="StoreAsync"/> holds in Azurite's memory (the blob; rows and messages are small).</summary>
    public Task DeleteAsync(string id, string version, CancellationToken cancellationToken) =>
        _container.GetBlobClient($"{id.ToLowerInvariant()}/{version}/{id.ToLowerInvariant()}.{version}.nupkg").DeleteIfExistsAsync(cancellationToken: cancellationToken);
}
