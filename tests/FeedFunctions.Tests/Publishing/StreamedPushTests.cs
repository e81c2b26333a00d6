using System.IO.Compression;
using System.Net;
using System.Text;
using FeedFunctions.Publishing;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Publishing;

/// <summary>Packages larger than one block are staged to blob storage while the body still streams in.</summary>
public sealed class StreamedPushTests
{
    private static byte[] LargePackage(string id, string version, int payloadBytes = PackageBlockStager.BlockSize + 1024 * 1024)
    {
        var payload = new byte[payloadBytes];
        new Random(11).NextBytes(payload);
        return TestPackage.Create(id, version).WithFile("content/payload.bin", payload).ToBytes();
    }

    [Fact]
    public async Task A_package_over_one_block_is_stored_byte_for_byte_under_its_id_and_version()
    {
        await using var host = await FeedAppHost.StartAsync();
        var package = LargePackage("Contoso.Large", "1.0.0");

        using var response = await FeedHttp.PushAsync(host, package);
        var record = await FeedHttp.FindAsync(host, "Contoso.Large", "1.0.0");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(record);
        Assert.StartsWith("contoso.large/1.0.0/", record.BlobName, StringComparison.Ordinal);
        Assert.Equal(package, await FeedHttp.DownloadBlobAsync(host, record.BlobName));
        Assert.Equal([record.BlobName], await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task A_duplicate_large_push_gets_409_and_leaves_no_blobs_behind()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var first = await FeedHttp.PushAsync(host, LargePackage("Contoso.Large", "2.0.0"));
        var blobsAfterFirst = await FeedHttp.AllBlobsAsync(host);

        using var second = await FeedHttp.PushAsync(host, LargePackage("Contoso.Large", "2.0.0", PackageBlockStager.BlockSize * 2));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(blobsAfterFirst.Order(), (await FeedHttp.AllBlobsAsync(host)).Order());
    }

    [Fact]
    public async Task Without_a_nuspec_up_front_nothing_is_staged()
    {
        // A client-side container is enough: naming fails before any request would be sent.
        await using var stager = new PackageBlockStager(new Azure.Storage.Blobs.BlobContainerClient("UseDevelopmentStorage=true", "packages"));
        var package = NuspecLast(PackageBlockStager.BlockSize + 4096);

        await stager.AppendAsync(package, CancellationToken.None);

        Assert.Null(await stager.CompleteAsync(package.Length, CancellationToken.None));
    }

    private static byte[] NuspecLast(int payloadBytes)
    {
        var payload = new byte[payloadBytes];
        new Random(3).NextBytes(payload);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var stream = zip.CreateEntry("content/payload.bin", CompressionLevel.NoCompression).Open())
            {
                stream.Write(payload);
            }

            using (var stream = zip.CreateEntry("Contoso.Last.nuspec").Open())
            {
                stream.Write(Encoding.UTF8.GetBytes(TestPackage.Create("Contoso.Last", "1.0.0").GenerateNuspec()));
            }
        }

        return output.ToArray();
    }
}
