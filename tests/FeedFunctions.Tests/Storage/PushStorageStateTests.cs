using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues;
using FeedFunctions.Events;
using FeedFunctions.Publishing;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Storage;

/// <summary>
/// What a push leaves in storage, read with plain SDK clients: the version row, the .nupkg blob with its Content-MD5
/// (single-request uploads) and content type, no .nuspec blob (the flat container reads it out of the package, byte
/// for byte), and the event as the Functions queue trigger reads it (base64 JSON).
/// </summary>
public sealed class PushStorageStateTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(PackageBlockStager.BlockSize + 1024 * 1024)]
    public async Task A_push_leaves_one_row_one_verified_blob_and_one_base64_event(int payloadBytes)
    {
        await using var host = await FeedAppHost.StartAsync();
        var package = TestPackage.Create("Contoso.Stored", "1.2.3").WithFile("lib/net8.0/payload.bin", RandomNumberGenerator.GetBytes(payloadBytes));
        var bytes = package.ToBytes();

        using var push = await FeedHttp.PushAsync(host, bytes);
        await FeedHttp.WaitForOutboxAsync(host);
        var rows = await FeedHttp.AllRowsAsync(host);
        var record = await FeedHttp.FindAsync(host, "Contoso.Stored", "1.2.3");
        var nupkg = (await host.Storage.Packages.GetBlobClient(record!.BlobName).GetPropertiesAsync()).Value;
        using var nuspec = await host.Client.GetAsync("/v3/flatcontainer/contoso.stored/1.2.3/contoso.stored.nuspec");

        // A client without base64 decoding sees the message exactly as the queue trigger receives it.
        var rawQueue = new QueueClient(host.Azurite.ConnectionString, host.Storage.EventsQueue.Name);
        var message = Assert.Single((await rawQueue.PeekMessagesAsync(32)).Value);
        var packageEvent = PackageEventJson.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())));

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Single(rows);
        Assert.Equal(("contoso.stored", "1.2.3"), (rows[0].PartitionKey, rows[0].RowKey));
        Assert.Equal(Convert.ToBase64String(SHA512.HashData(bytes)), record.Sha512);
        Assert.Equal(bytes.Length, record.Size);
        Assert.Equal(bytes, await FeedHttp.DownloadBlobAsync(host, record.BlobName));
        // One Put Blob keeps its transactional MD5 as Content-MD5; staged blocks were each checked against their own.
        Assert.Equal(payloadBytes < PackageBlockStager.BlockSize ? MD5.HashData(bytes) : null, nupkg.ContentHash);
        Assert.Equal("application/octet-stream", nupkg.ContentType);
        Assert.Null(record.NuspecBlobName);
        Assert.Equal(package.NuspecBytes, await nuspec.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/xml", nuspec.Content.Headers.ContentType?.MediaType);
        Assert.Equal([record.BlobName], await FeedHttp.AllBlobsAsync(host));
        Assert.Equal((PackageEventType.Uploaded, "Contoso.Stored", "1.2.3"), (packageEvent!.Type, packageEvent.PackageId, packageEvent.Version));
        Assert.Equal(record.Sha512, packageEvent.Sha512);
    }
}
