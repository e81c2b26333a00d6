using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using FeedFunctions.Publishing;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

public sealed class FlatContainerTests
{
    [Fact]
    public async Task Version_list_is_lowercase_normalized_in_version_order_and_includes_unlisted()
    {
        await using var host = await FeedAppHost.StartAsync();
        foreach (var version in new[] { "10.0.0", "1.0", "2.0.0-Beta", "9.0.0", "2.0.0-beta.1+build.5" })
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Flat", version));
        }

        await ReadSideHttp.UnlistAsync(host, "Contoso.Flat", "9.0.0");

        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/flatcontainer/CONTOSO.flat/index.json");
        var (missing, _) = await ReadSideHttp.TryGetJsonAsync(host, "/v3/flatcontainer/contoso.nothing/index.json");
        var (invalid, _) = await ReadSideHttp.TryGetJsonAsync(host, "/v3/flatcontainer/not..valid/index.json");

        Assert.Equal(["1.0.0", "2.0.0-beta", "2.0.0-beta.1", "9.0.0", "10.0.0"], ReadSideHttp.Strings(index["versions"]));
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.NotFound, invalid);
    }

    [Fact]
    public async Task Nupkg_and_nuspec_are_the_pushed_bytes_with_etag_and_304()
    {
        await using var host = await FeedAppHost.StartAsync();
        var package = TestPackage.Create("Contoso.Bytes", "1.0.0-RC.1");
        await ReadSideHttp.PushAsync(host, package);
        const string folder = "/v3/flatcontainer/contoso.bytes/1.0.0-rc.1/";

        using var nupkg = await host.Client.GetAsync(folder + "contoso.bytes.1.0.0-rc.1.nupkg");
        var nupkgBytes = await nupkg.Content.ReadAsByteArrayAsync();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, folder + "contoso.bytes.1.0.0-rc.1.nupkg");
        conditional.Headers.IfNoneMatch.Add(nupkg.Headers.ETag!);
        using var notModified = await host.Client.SendAsync(conditional);
        using var nuspec = await host.Client.GetAsync(folder + "contoso.bytes.nuspec");
        using var wrongFile = await host.Client.GetAsync(folder + "other.1.0.0-rc.1.nupkg");
        using var wrongVersion = await host.Client.GetAsync("/v3/flatcontainer/contoso.bytes/1.0.0/contoso.bytes.1.0.0.nupkg");

        Assert.Equal(HttpStatusCode.OK, nupkg.StatusCode);
        Assert.Equal(package.ToBytes().Length, nupkgBytes.Length);
        var record = await FeedHttp.FindAsync(host, "Contoso.Bytes", "1.0.0-rc.1");
        Assert.Equal(await FeedHttp.DownloadBlobAsync(host, record!.BlobName), nupkgBytes);
        Assert.Equal(new EntityTagHeaderValue($"\"{record.Sha512}\""), nupkg.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nuspec.StatusCode);
        Assert.Equal(package.NuspecBytes, await nuspec.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, wrongFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongVersion.StatusCode);
    }

    /// <summary>
    /// The .nuspec is read out of the stored package with range reads (no blob of its own): also from a package
    /// over one block, stored as staged blocks, whose central directory lies past the first range read.
    /// </summary>
    [Fact]
    public async Task Nuspec_of_a_large_package_is_read_out_of_it_byte_for_byte()
    {
        await using var host = await FeedAppHost.StartAsync();
        var package = TestPackage.Create("Contoso.Large", "1.0.0").WithFile("lib/net8.0/payload.bin", RandomNumberGenerator.GetBytes(PackageBlockStager.BlockSize + 1024 * 1024));
        await ReadSideHttp.PushAsync(host, package);

        using var nuspec = await host.Client.GetAsync("/v3/flatcontainer/contoso.large/1.0.0/contoso.large.nuspec");

        Assert.Equal(HttpStatusCode.OK, nuspec.StatusCode);
        Assert.Equal(package.NuspecBytes, await nuspec.Content.ReadAsByteArrayAsync());
        Assert.Single(await FeedHttp.AllBlobsAsync(host));
    }

    /// <summary>Rows pushed while the .nuspec was stored as a blob of its own still serve that blob.</summary>
    [Fact]
    public async Task A_row_that_names_a_nuspec_blob_serves_that_blob()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Older", "1.0.0"));
        var record = await FeedHttp.FindAsync(host, "Contoso.Older", "1.0.0");
        var stored = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><package><metadata><id>Contoso.Older</id></metadata></package>");
        var blobName = record!.BlobName[..(record.BlobName.LastIndexOf('/') + 1)] + "contoso.older.nuspec";
        await host.Storage.Packages.GetBlobClient(blobName).UploadAsync(new BinaryData(stored));
        var row = (await host.Storage.PackagesTable.GetEntityAsync<TableEntity>("contoso.older", "1.0.0")).Value;
        row["NuspecBlobName"] = blobName;
        await host.Storage.PackagesTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        using var nuspec = await host.Client.GetAsync("/v3/flatcontainer/contoso.older/1.0.0/contoso.older.nuspec");

        Assert.Equal(HttpStatusCode.OK, nuspec.StatusCode);
        Assert.Equal(stored, await nuspec.Content.ReadAsByteArrayAsync());
    }
}
