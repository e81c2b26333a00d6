using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;

namespace FeedFunctions.Storage;

/// <summary>One block blob. Uploads stream (never the whole content in memory); downloads return the network stream.</summary>
public sealed class BlobClient
{
    private readonly BlobContainerClient _container;

    internal BlobClient(BlobContainerClient container, string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 1024 || name.StartsWith('/') || name.Contains("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid blob name.", nameof(name));
        }

        _container = container;
        Name = name;
    }

    public string Name { get; }

    public string ContainerName => _container.Name;

    public async Task<BlobContentInfo> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BlobUploadOptions();
        if (content.CanSeek && content.Length - content.Position <= options.SingleUploadThreshold)
        {
            return await PutBlobAsync(content, options, cancellationToken).ConfigureAwait(false);
        }

        return await PutBlocksAsync(content, options, cancellationToken).ConfigureAwait(false);
    }

    public async Task<BlobDownloadStreamingResult> DownloadStreamingAsync(BlobDownloadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var message = _container.Pipeline.CreateMessage();
        try
        {
            message.BufferResponse = false;
            message.Request.Method = RequestMethod.Get;
            _container.SetBlobUri(message.Request, Name);
            if (options?.Offset is { } offset)
            {
                var end = options.Length is { } length ? (offset + length - 1).ToString(CultureInfo.InvariantCulture) : string.Empty;
                message.Request.Headers.SetValue("x-ms-range", $"bytes={offset}-{end}");
            }

            options?.Conditions?.Apply(message.Request);
            await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (message.Response.Status is not (200 or 206))
            {
                throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
            }

            var response = message.Response;
            var properties = ReadProperties(response);
            response.Headers.TryGetValue("Content-Range", out var range);
            var stream = message.ExtractResponseContent() ?? Stream.Null;
            return new BlobDownloadStreamingResult(stream, properties, response.Status, range);
        }
        finally
        {
            message.Dispose();
        }
    }

    public async Task<BlobProperties> GetPropertiesAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _container.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Head;
        _container.SetBlobUri(message.Request, Name);
        conditions?.Apply(message.Request);
        await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 200)
        {
            // HEAD has no body, so the code comes from x-ms-error-code (or is missing, e.g. 404 on some servers).
            var exception = await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
            if (exception.Status == 404 && exception.ErrorCode is null)
            {
                throw new RequestFailedException(404, exception.Message, StorageErrors.BlobNotFound, null);
            }

            throw exception;
        }

        return ReadProperties(message.Response);
    }

    public async Task<BlobProperties?> GetPropertiesIfExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetPropertiesAsync(null, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the blob; false when it was not there. A failed <paramref name="conditions"/> check throws 412.</summary>
    public async Task<bool> DeleteIfExistsAsync(BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _container.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Delete;
        _container.SetBlobUri(message.Request, Name);
        message.Request.Headers.SetValue("x-ms-delete-snapshots", "include");
        conditions?.Apply(message.Request);
        await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response.Status switch
        {
            202 => true,
            404 => false,
            _ => throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// Stages one block (Put Block, verified by its Content-MD5). Staged blocks stay invisible until
    /// <see cref="CommitBlockListAsync"/> names them; uncommitted ones are discarded by the service.
    /// </summary>
    public Task StageBlockAsync(string blockId, ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default) =>
        PutBlockAsync(blockId, block, cancellationToken);

    /// <summary>Commits staged blocks, in order, as the blob's content (Put Block List with the options' conditions).</summary>
    public Task<BlobContentInfo> CommitBlockListAsync(
        IReadOnlyList<string> blockIds, byte[] contentMd5, long length, BlobUploadOptions? options = null, CancellationToken cancellationToken = default) =>
        PutBlockListAsync(blockIds, options ?? new BlobUploadOptions(), contentMd5, length, cancellationToken);

    /// <summary>Block IDs of one upload: a random upload id (so concurrent uploads never mix blocks) plus the index.</summary>
    public static string NewBlockId(byte[] uploadId, int index) => BlockId(uploadId, index);

    private async Task<BlobContentInfo> PutBlobAsync(Stream content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        var length = content.Length - content.Position;
        using var message = _container.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        _container.SetBlobUri(message.Request, Name);
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        message.Request.Headers.SetValue("Content-Length", length.ToString(CultureInfo.InvariantCulture));
        if (options.ContentHash is { } md5)
        {
            message.Request.Headers.SetValue("Content-MD5", Convert.ToBase64String(md5));
        }

        ApplyBlobHeaders(message.Request, options, blobContentMd5: null);
        message.Request.Content = RequestContent.Create(content);
        await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 201)
        {
            throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
        }

        return ReadContentInfo(message.Response, length, options.ContentHash);
    }

    private async Task<BlobContentInfo> PutBlocksAsync(Stream content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        // Block IDs carry a per-upload random prefix so concurrent uploads to the same name never mix blocks.
        var uploadId = Guid.NewGuid().ToByteArray();
        var blockIds = new List<string>();
        // A caller that hashed the content while receiving it (a push) has the MD5 already: no second pass.
        using var wholeMd5 = options.ContentHash is null ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(options.BlockSize);
        long total = 0;
        try
        {
            while (true)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, options.BlockSize), options.BlockSize, throwOnEndOfStream: false, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0 && blockIds.Count > 0)
                {
                    break;
                }

                wholeMd5?.AppendData(buffer, 0, read);
                var blockId = BlockId(uploadId, blockIds.Count);
                await PutBlockAsync(blockId, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                blockIds.Add(blockId);
                total += read;
                if (read < options.BlockSize)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var md5 = options.ContentHash ?? wholeMd5!.GetHashAndReset();
        return await PutBlockListAsync(blockIds, options, md5, total, cancellationToken).ConfigureAwait(false);
    }

    private async Task PutBlockAsync(string blockId, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        using var message = _container.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        _container.SetBlobUri(message.Request, Name);
        message.Request.Uri.AppendQuery("comp", "block");
        message.Request.Uri.AppendQuery("blockid", blockId);
        message.Request.Headers.SetValue("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("Content-MD5", Convert.ToBase64String(MD5.HashData(block.Span)));
        message.Request.Content = RequestContent.Create(block);
        await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 201)
        {
            throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<BlobContentInfo> PutBlockListAsync(
        IReadOnlyList<string> blockIds, BlobUploadOptions options, byte[] md5, long length, CancellationToken cancellationToken)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            xml.Append("<Latest>").Append(id).Append("</Latest>");
        }

        var body = Encoding.UTF8.GetBytes(xml.Append("</BlockList>").ToString());
        using var message = _container.Pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Put;
        _container.SetBlobUri(message.Request, Name);
        message.Request.Uri.AppendQuery("comp", "blocklist");
        message.Request.Headers.SetValue("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        ApplyBlobHeaders(message.Request, options, md5);
        message.Request.Content = RequestContent.Create(body);
        await _container.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 201)
        {
            throw await StorageErrors.CreateAsync(message.Response, cancellationToken).ConfigureAwait(false);
        }

        return ReadContentInfo(message.Response, length, md5);
    }

    private static void ApplyBlobHeaders(Request request, BlobUploadOptions options, byte[]? blobContentMd5)
    {
        request.Headers.SetValue("x-ms-blob-content-type", options.ContentType ?? "application/octet-stream");
        if (blobContentMd5 is not null)
        {
            request.Headers.SetValue("x-ms-blob-content-md5", Convert.ToBase64String(blobContentMd5));
        }

        if (options.Metadata is not null)
        {
            foreach (var (key, value) in options.Metadata)
            {
                request.Headers.SetValue("x-ms-meta-" + key, value);
            }
        }

        options.Conditions?.Apply(request);
    }

    private static string BlockId(byte[] uploadId, int index)
    {
        Span<byte> raw = stackalloc byte[20];
        uploadId.CopyTo(raw);
        BitConverter.TryWriteBytes(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private static BlobContentInfo ReadContentInfo(Response response, long length, byte[]? md5) =>
        new(ETagHeader(response), LastModified(response), length, md5);

    private static BlobProperties ReadProperties(Response response)
    {
        var headers = response.Headers;
        long length = 0;
        if (headers.TryGetValue("Content-Range", out var range) && range.LastIndexOf('/') is var slash and > 0
            && long.TryParse(range[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var full))
        {
            length = full;
        }
        else if (headers.TryGetValue("Content-Length", out var lengthText))
        {
            length = long.Parse(lengthText, CultureInfo.InvariantCulture);
        }

        byte[]? md5 = null;
        if ((headers.TryGetValue("x-ms-blob-content-md5", out var md5Text) || headers.TryGetValue("Content-MD5", out md5Text)) && md5Text.Length > 0)
        {
            md5 = Convert.FromBase64String(md5Text);
        }

        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }

        headers.TryGetValue("Content-Type", out var contentType);
        return new BlobProperties(length, contentType, ETagHeader(response), LastModified(response), md5, metadata);
    }

    private static string ETagHeader(Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) ? etag : string.Empty;

    private static DateTimeOffset? LastModified(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
}
