using System.Security.Cryptography;
using System.Text;
using Azure;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Storage;

public sealed class BlobClientTests
{
    private static async Task<(BlobContainerClient Container, RecordingPolicy Recorder)> NewContainerAsync()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var recorder = new RecordingPolicy();
        var options = new StorageClientOptions();
        options.PerRetryPolicies.Add(recorder);
        var container = new BlobContainerClient(azurite.Connection, StorageNames.Container(), options);
        await container.CreateIfNotExistsAsync();
        return (container, recorder);
    }

    private static async Task<byte[]> ReadAllAsync(BlobClient blob, BlobDownloadOptions? options = null)
    {
        await using var download = await blob.DownloadStreamingAsync(options);
        using var copy = new MemoryStream();
        await download.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task CreateIfNotExists_is_idempotent()
    {
        var (container, _) = await NewContainerAsync();
        await container.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task Create_only_upload_conflicts_with_409_BlobAlreadyExists_and_keeps_the_first_bytes()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("pkg/a b/first.nupkg");
        var first = Encoding.UTF8.GetBytes("first");

        var info = await blob.UploadAsync(new MemoryStream(first), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly });
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(new MemoryStream(Encoding.UTF8.GetBytes("second")), new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly }));

        Assert.StartsWith("\"", info.ETag);
        Assert.Equal(409, ex.Status);
        Assert.Equal(StorageErrors.BlobAlreadyExists, ex.ErrorCode);
        Assert.Equal(first, await ReadAllAsync(blob));
    }

    [Fact]
    public async Task Create_only_block_upload_conflicts_too()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("blocks.bin");
        var options = new BlobUploadOptions { Conditions = BlobRequestConditions.CreateOnly, BlockSize = 1024 };
        await blob.UploadAsync(new NonSeekableStream(new MemoryStream(RandomNumberGenerator.GetBytes(3000))), options);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(new NonSeekableStream(new MemoryStream(RandomNumberGenerator.GetBytes(3000))), options));

        Assert.Equal(409, ex.Status);
        Assert.Equal(StorageErrors.BlobAlreadyExists, ex.ErrorCode);
    }

    [Fact]
    public async Task If_match_with_current_etag_succeeds_and_stale_etag_gives_412()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("etag.txt");
        var v1 = await blob.UploadAsync(new MemoryStream([1, 2, 3]));
        var v2 = await blob.UploadAsync(new MemoryStream([4, 5, 6]), new BlobUploadOptions { Conditions = new() { IfMatch = v1.ETag } });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(new MemoryStream([7]), new BlobUploadOptions { Conditions = new() { IfMatch = v1.ETag } }));

        Assert.NotEqual(v1.ETag, v2.ETag);
        Assert.Equal(412, ex.Status);
        Assert.Equal(StorageErrors.ConditionNotMet, ex.ErrorCode);
        Assert.Equal(new byte[] { 4, 5, 6 }, await ReadAllAsync(blob));
    }

    [Fact]
    public async Task Wrong_content_md5_is_rejected_and_nothing_is_stored()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("md5.txt");
        var bytes = Encoding.UTF8.GetBytes("payload");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(new MemoryStream(bytes), new BlobUploadOptions { ContentHash = MD5.HashData("other"u8) }));
        var good = await blob.UploadAsync(new MemoryStream(bytes), new BlobUploadOptions { ContentHash = MD5.HashData(bytes) });
        var properties = await blob.GetPropertiesAsync();

        Assert.Equal(400, ex.Status);
        Assert.Equal(MD5.HashData(bytes), properties.ContentHash);
        Assert.Equal(bytes.Length, properties.ContentLength);
        Assert.NotEmpty(good.ETag);
    }

    [Fact]
    public async Task Twenty_megabyte_stream_goes_through_blocks_and_reads_back_identical()
    {
        var (container, recorder) = await NewContainerAsync();
        var blob = container.GetBlobClient("big/20mb.nupkg");
        var bytes = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);

        await blob.UploadAsync(
            new NonSeekableStream(new MemoryStream(bytes)),
            new BlobUploadOptions { BlockSize = 4 * 1024 * 1024, Conditions = BlobRequestConditions.CreateOnly, ContentType = "application/octet-stream" });
        var properties = await blob.GetPropertiesAsync();
        var roundTrip = await ReadAllAsync(blob);

        Assert.Equal(5, recorder.Requests.Count(r => r.Contains("comp=block&", StringComparison.Ordinal)));
        Assert.Single(recorder.Requests, r => r.Contains("comp=blocklist", StringComparison.Ordinal));
        Assert.Equal(bytes.Length, properties.ContentLength);
        Assert.Equal(MD5.HashData(bytes), properties.ContentHash);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(roundTrip));
    }

    [Fact]
    public async Task Seekable_stream_over_the_threshold_is_staged_in_blocks()
    {
        var (container, recorder) = await NewContainerAsync();
        var blob = container.GetBlobClient("seekable.bin");
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        await blob.UploadAsync(new MemoryStream(bytes), new BlobUploadOptions { SingleUploadThreshold = 100_000, BlockSize = 128 * 1024 });

        Assert.Equal(3, recorder.Requests.Count(r => r.Contains("comp=block&", StringComparison.Ordinal)));
        Assert.Equal(bytes, await ReadAllAsync(blob));
    }

    [Fact]
    public async Task Range_read_returns_206_and_only_the_range()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("range.txt");
        await blob.UploadAsync(new MemoryStream("hello world"u8.ToArray()));

        await using var download = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Offset = 6, Length = 5 });
        using var reader = new StreamReader(download.Content);

        Assert.Equal(206, download.Status);
        Assert.Equal("bytes 6-10/11", download.ContentRange);
        Assert.Equal(11, download.Properties.ContentLength);
        Assert.Equal("world", await reader.ReadToEndAsync());
        Assert.Equal("world"u8.ToArray(), await ReadAllAsync(blob, new BlobDownloadOptions { Offset = 6 }));
    }

    [Fact]
    public async Task Properties_carry_metadata_and_content_type()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("meta.json");
        await blob.UploadAsync(
            new MemoryStream("{}"u8.ToArray()),
            new BlobUploadOptions { ContentType = "application/json", Metadata = new Dictionary<string, string> { ["sha512"] = "abc" } });

        var properties = await blob.GetPropertiesAsync();

        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("abc", properties.Metadata["sha512"]);
    }

    [Fact]
    public async Task Missing_blob_reads_give_404_and_delete_reports_whether_it_existed()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("gone.txt");

        var download = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadStreamingAsync());
        var head = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync());
        await blob.UploadAsync(new MemoryStream([1]));
        var deleted = await blob.DeleteIfExistsAsync();
        var deletedAgain = await blob.DeleteIfExistsAsync();

        Assert.Equal(404, download.Status);
        Assert.Equal(StorageErrors.BlobNotFound, download.ErrorCode);
        Assert.Equal(404, head.Status);
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Null(await blob.GetPropertiesIfExistsAsync());
    }

    [Fact]
    public async Task Conditional_delete_with_stale_etag_keeps_the_blob()
    {
        var (container, _) = await NewContainerAsync();
        var blob = container.GetBlobClient("keep.txt");
        var v1 = await blob.UploadAsync(new MemoryStream([1]));
        await blob.UploadAsync(new MemoryStream([2]));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteIfExistsAsync(new BlobRequestConditions { IfMatch = v1.ETag }));

        Assert.Equal(412, ex.Status);
        Assert.Equal(new byte[] { 2 }, await ReadAllAsync(blob));
    }
}
