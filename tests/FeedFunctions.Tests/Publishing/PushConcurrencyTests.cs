using System.Net;
using System.Security.Cryptography;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Publishing;

public sealed class PushConcurrencyTests
{
    [Fact]
    public async Task Twenty_parallel_pushes_of_one_id_and_version_give_one_201_and_nineteen_409()
    {
        await using var host = await FeedAppHost.StartAsync();
        // Different bytes per request (as from different builds), so a mismatched blob would be detectable.
        var packages = Enumerable.Range(0, 20)
            .Select(i => TestPackage.Create("Contoso.Race", "1.0.0").WithDescription($"Build number {i}").ToBytes())
            .ToArray();

        var responses = await Task.WhenAll(packages.Select(async (bytes, i) =>
        {
            using var response = await FeedHttp.PushAsync(host, bytes, sessionId: Guid.NewGuid().ToString());
            return (Index: i, response.StatusCode);
        }));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToArray();
        Assert.Single(winners);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var rows = (await FeedHttp.AllRowsAsync(host)).Where(r => !r.RowKey.StartsWith('~')).ToList();
        Assert.Single(rows);
        var record = await FeedHttp.FindAsync(host, "Contoso.Race", "1.0.0");
        var winnerBytes = packages[winners[0].Index];
        Assert.Equal(Convert.ToBase64String(SHA512.HashData(winnerBytes)), record!.Sha512);
        Assert.Equal(winnerBytes, await FeedHttp.DownloadBlobAsync(host, record.BlobName));
        // Losers removed their own blobs: only the winner's .nupkg remains.
        Assert.Equal([record.BlobName], await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task A_retry_with_the_same_session_and_bytes_is_idempotent_but_another_session_gets_409()
    {
        await using var host = await FeedAppHost.StartAsync();
        var bytes = TestPackage.Create("Contoso.Retry", "3.0.0").ToBytes();
        var session = Guid.NewGuid().ToString();

        using var first = await FeedHttp.PushAsync(host, bytes, sessionId: session);
        using var retry = await FeedHttp.PushAsync(host, bytes, sessionId: session);
        using var otherSession = await FeedHttp.PushAsync(host, bytes, sessionId: Guid.NewGuid().ToString());
        using var otherBytes = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Retry", "3.0.0").WithDescription("changed").ToBytes(), sessionId: session);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherSession.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, otherBytes.StatusCode);
        Assert.Single(await FeedHttp.AllBlobsAsync(host));
    }

    [Theory]
    [InlineData("True", "1.0.0", HttpStatusCode.Created)]
    [InlineData("PrereleaseOnly", "1.0.0-beta", HttpStatusCode.Created)]
    [InlineData("PrereleaseOnly", "1.0.0", HttpStatusCode.Conflict)]
    [InlineData("False", "1.0.0-beta", HttpStatusCode.Conflict)]
    public async Task Overwrite_policy_decides_whether_a_second_push_replaces_the_first(string policy, string version, HttpStatusCode expected)
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:AllowOverwrite"] = policy });
        var first = TestPackage.Create("Contoso.Over", version).ToBytes();
        var second = TestPackage.Create("Contoso.Over", version).WithDescription("second build").ToBytes();
        using var firstResponse = await FeedHttp.PushAsync(host, first);

        using var secondResponse = await FeedHttp.PushAsync(host, second);
        var record = await FeedHttp.FindAsync(host, "Contoso.Over", version);

        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(expected, secondResponse.StatusCode);
        var kept = expected == HttpStatusCode.Created ? second : first;
        Assert.Equal(kept, await FeedHttp.DownloadBlobAsync(host, record!.BlobName));

        // A replaced package's blobs are deleted just after the response: wait for that, then exactly the kept
        // package's .nupkg remains.
        var blobs = await Poll.UntilAsync(() => FeedHttp.AllBlobsAsync(host), names => names.Count <= 1, what: "the replaced package's blobs to be deleted");
        Assert.Equal([record.BlobName], blobs);
    }

    [Fact]
    public async Task Hard_delete_mode_removes_row_and_blobs()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:DeleteMode"] = "HardDelete" });
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Gone", "1.0.0").ToBytes());
        using var symbols = await host.Client.SendAsync(SymbolsRequest(host, TestPackage.Create("Contoso.Gone", "1.0.0")
            .WithMetadataXml("<packageTypes><packageType name=\"SymbolsPackage\" /></packageTypes>").ToBytes()));
        var blobsBefore = await FeedHttp.AllBlobsAsync(host);

        using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/contoso.gone/1.0", host.ApiKey);
        using var again = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/contoso.gone/1.0", host.ApiKey);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(HttpStatusCode.Created, symbols.StatusCode);
        Assert.Contains(blobsBefore, b => b.EndsWith(".snupkg", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Gone", "1.0.0"));
        Assert.Empty(await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task V2_download_route_streams_the_package_with_an_etag_and_304()
    {
        await using var host = await FeedAppHost.StartAsync();
        var bytes = TestPackage.Create("Contoso.Get", "1.0.0").ToBytes();
        using var push = await FeedHttp.PushAsync(host, bytes);

        using var download = await host.Client.GetAsync("/api/v2/package/CONTOSO.GET/1.0");
        var body = await download.Content.ReadAsByteArrayAsync();
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v2/package/contoso.get/1.0.0");
        conditional.Headers.IfNoneMatch.Add(download.Headers.ETag!);
        using var notModified = await host.Client.SendAsync(conditional);
        using var missing = await host.Client.GetAsync("/api/v2/package/contoso.get/9.9.9");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, body);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static HttpRequestMessage SymbolsRequest(FeedAppHost host, byte[] snupkg)
    {
        var request = FeedHttp.PushRequest(host, snupkg);
        request.RequestUri = new Uri(host.BaseUrl + "/api/v2/symbolpackage");
        return request;
    }
}
