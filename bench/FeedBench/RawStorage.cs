using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace FeedBench;

/// <summary>
/// The physical floor: the same bytes stored straight into the same Azurite with the Azure SDK clients the feed uses
/// (create-only Put Blob, or Put Block + Put Block List above the single-upload threshold), no HTTP hop, no
/// validation, no row.
/// </summary>
internal sealed class RawStorage
{
    private readonly BlobContainerClient _container;
    private readonly TableClient _table;

    public RawStorage(string connectionString, string prefix)
    {
        _container = new BlobContainerClient(connectionString, prefix + "-raw");
        _table = new TableClient(connectionString, prefix + "Raw");
    }

    public BlobContainerClient Container => _container;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
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

    public Task DeleteBlobAsync(string name, CancellationToken cancellationToken) =>
        _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
}
