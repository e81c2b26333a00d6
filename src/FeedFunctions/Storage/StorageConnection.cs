using Azure.Core;

namespace FeedFunctions.Storage;

/// <summary>
/// Where the three storage services live and how to authorize against them: either a Shared Key
/// (connection strings, Azurite) or a token credential (managed identity in production).
/// </summary>
public sealed class StorageConnection
{
    public StorageConnection(Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, StorageSharedKeyCredential sharedKey)
    {
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        SharedKey = sharedKey;
    }

    public StorageConnection(Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, TokenCredential tokenCredential)
    {
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        TokenCredential = tokenCredential;
    }

    public Uri BlobEndpoint { get; }

    public Uri QueueEndpoint { get; }

    public Uri TableEndpoint { get; }

    public StorageSharedKeyCredential? SharedKey { get; }

    public TokenCredential? TokenCredential { get; }
}
