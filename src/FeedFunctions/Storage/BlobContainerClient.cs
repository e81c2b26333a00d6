using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

public sealed class BlobContainerClient
{
    public BlobContainerClient(StorageConnection connection, string containerName, StorageClientOptions? options = null)
        : this(StoragePipeline.Build(connection, StorageService.Blob, options), connection.BlobEndpoint, containerName)
    {
    }

    public BlobContainerClient(HttpPipeline pipeline, Uri blobEndpoint, string containerName)
    {
        if (containerName.Length is < 3 or > 63 || !containerName.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            || containerName.StartsWith('-') || containerName.EndsWith('-') || containerName.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{containerName}' is not a valid container name.", nameof(containerName));
        }

        Pipeline = pipeline;
        Endpoint = blobEndpoint;
        Name = containerName;
    }

    public string Name { get; }

    internal HttpPipeline Pipeline { get; }

    internal Uri Endpoint { get; }

    public BlobClient GetBlobClient(string blobName) => new(this, blobName);

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        message.Request.Uri.Reset(Endpoint);
        message.Request.Uri.AppendPath("/" + Name, escape: false);
        message.Request.Uri.AppendQuery("restype", "container");
        message.Request.Headers.SetValue("Content-Length", "0");
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status is not (201 or 409))
        {
            throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lists blob names under <paramref name="prefix"/>, following continuation markers.</summary>
    public async IAsyncEnumerable<string> GetBlobNamesAsync(
        string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            using var message = Pipeline.CreateMessage();
            message.Request.Method = RequestMethod.Get;
            message.Request.Uri.Reset(Endpoint);
            message.Request.Uri.AppendPath("/" + Name, escape: false);
            message.Request.Uri.AppendQuery("restype", "container");
            message.Request.Uri.AppendQuery("comp", "list");
            if (!string.IsNullOrEmpty(prefix))
            {
                message.Request.Uri.AppendQuery("prefix", prefix);
            }

            if (marker is not null)
            {
                message.Request.Uri.AppendQuery("marker", marker);
            }

            await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (message.Response.Status != 200)
            {
                throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
            }

            var document = XDocument.Load(message.Response.ContentStream!, LoadOptions.None);
            foreach (var name in document.Descendants("Blob").Select(b => b.Element("Name")?.Value))
            {
                if (name is not null)
                {
                    yield return name;
                }
            }

            marker = document.Root?.Element("NextMarker")?.Value;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    internal void SetBlobUri(Request request, string blobName)
    {
        request.Uri.Reset(Endpoint);
        request.Uri.AppendPath("/" + Name, escape: false);
        foreach (var segment in blobName.Split('/'))
        {
            request.Uri.AppendPath("/", escape: false);
            request.Uri.AppendPath(segment, escape: true);
        }
    }
}
