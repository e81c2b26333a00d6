using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Publishing;

/// <summary>Every bad input gets a clear 4xx with a reason phrase, and nothing is stored.</summary>
public sealed class PushValidationTests
{
    public static TheoryData<string, byte[], string> InvalidPackages => new()
    {
        { "garbage", Encoding.UTF8.GetBytes("this is not a zip file at all"), "zip" },
        { "no nuspec", TestPackage.Create().WithNuspecEntryName("lib/readme.txt").ToBytes(), ".nuspec" },
        { "two nuspecs", TestPackage.Create().WithSecondNuspec().ToBytes(), "more than one" },
        { "huge nuspec", TestPackage.Create().WithMetadata("description", new string('x', 2 * 1024 * 1024)).ToBytes(), "exceeds" },
        { "invalid id", TestPackage.Create("Bad..Id").ToBytes(), "ID" },
        { "invalid version", TestPackage.Create("Contoso.Lib", "1.0.0-").ToBytes(), "version" },
        { "truncated zip", TestPackage.Create().ToBytes()[..200], "zip" },
    };

    [Theory]
    [MemberData(nameof(InvalidPackages))]
    public async Task Invalid_package_gets_400_with_a_reason_and_stores_nothing(string name, byte[] package, string reasonFragment)
    {
        await using var host = await FeedAppHost.StartAsync();

        using var response = await FeedHttp.PushAsync(host, package);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {response.ReasonPhrase}");
        Assert.Contains(reasonFragment, response.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(response.ReasonPhrase + "\n", await response.Content.ReadAsStringAsync());
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task Empty_body_gets_400()
    {
        await using var host = await FeedAppHost.StartAsync();

        using var response = await FeedHttp.PushAsync(host, [], multipart: false);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("empty", response.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task Raw_octet_stream_body_is_accepted()
    {
        await using var host = await FeedAppHost.StartAsync();

        using var response = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Raw", "2.0.0").ToBytes(), multipart: false);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotNull(await FeedHttp.FindAsync(host, "Contoso.Raw", "2.0.0"));
    }

    [Fact]
    public async Task Chunked_multipart_upload_without_content_length_is_accepted()
    {
        await using var host = await FeedAppHost.StartAsync();
        var bytes = TestPackage.Create("Contoso.Chunked", "1.0.0").ToBytes();
        using var request = FeedHttp.PushRequest(host, bytes);
        var content = new MultipartFormDataContent();
        var part = new StreamContent(new NonSeekableStream(new MemoryStream(bytes)));
        content.Add(part, "package", "package.nupkg");
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;

        using var response = await host.Client.SendAsync(request);
        var record = await FeedHttp.FindAsync(host, "Contoso.Chunked", "1.0.0");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(bytes, await FeedHttp.DownloadBlobAsync(host, record!.BlobName));
    }

    [Fact]
    public async Task Oversize_body_gets_413_while_streaming_and_stores_nothing()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:MaxPackageSizeBytes"] = "50000" });
        var big = TestPackage.Create().WithFile("lib/blob.bin", RandomNumberGenerator.GetBytes(80_000)).ToBytes();
        using var request = FeedHttp.PushRequest(host, big);
        var content = new MultipartFormDataContent { { new StreamContent(new NonSeekableStream(new MemoryStream(big))), "package", "package.nupkg" } };
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("size limit", response.ReasonPhrase);
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task Truncated_multipart_gets_400()
    {
        await using var host = await FeedAppHost.StartAsync();
        var body = Encoding.ASCII.GetBytes("--b0undary\r\nContent-Disposition: form-data; name=\"package\"; filename=\"package.nupkg\"\r\n" +
                                           "Content-Type: application/octet-stream\r\n\r\n")
            .Concat(TestPackage.Create().ToBytes()).ToArray();
        using var response = await SendRawAsync(host, body, "multipart/form-data; boundary=b0undary");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", response.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync(host);
    }

    [Theory]
    [InlineData("multipart/form-data", HttpStatusCode.BadRequest, "boundary")]
    [InlineData("multipart/form-data; boundary=nothing-here", HttpStatusCode.BadRequest, "multipart")]
    [InlineData("application/json", HttpStatusCode.UnsupportedMediaType, "multipart/form-data")]
    public async Task Malformed_or_unsupported_bodies_get_4xx(string contentType, HttpStatusCode expected, string reasonFragment)
    {
        await using var host = await FeedAppHost.StartAsync();

        using var response = await SendRawAsync(host, TestPackage.Create().ToBytes(), contentType);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(reasonFragment, response.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
        await AssertNothingStoredAsync(host);
    }

    [Fact]
    public async Task Missing_key_gets_401_with_a_challenge_and_read_only_feed_gets_403()
    {
        await using var host = await FeedAppHost.StartAsync();
        await using var readOnly = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:ReadOnly"] = "true" });
        using var request = FeedHttp.PushRequest(host, TestPackage.Create().ToBytes());
        request.Headers.Remove("X-NuGet-ApiKey");

        using var noKey = await host.Client.SendAsync(request);
        using var readOnlyPush = await FeedHttp.PushAsync(readOnly, TestPackage.Create().ToBytes());
        using var readOnlyDelete = await FeedHttp.SendAsync(readOnly, HttpMethod.Delete, "/api/v2/package/Contoso.Lib/1.0.0", readOnly.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Contains("X-NuGet-ApiKey", noKey.ReasonPhrase);
        Assert.NotEmpty(noKey.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Forbidden, readOnlyPush.StatusCode);
        Assert.Contains("read-only", readOnlyPush.ReasonPhrase);
        Assert.Equal(HttpStatusCode.Forbidden, readOnlyDelete.StatusCode);
        await AssertNothingStoredAsync(host);
        await AssertNothingStoredAsync(readOnly);
    }

    [Theory]
    [InlineData("Bad..Id", "1.0.0")]
    [InlineData("Contoso.Lib", "not-a-version")]
    [InlineData("Contoso.Lib", "1.0.0-")]
    public async Task Invalid_id_or_version_in_delete_and_relist_gets_400(string id, string version)
    {
        await using var host = await FeedAppHost.StartAsync();

        using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, $"/api/v2/package/{id}/{version}", host.ApiKey);
        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, $"/api/v2/package/{id}/{version}", host.ApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, delete.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, relist.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendRawAsync(FeedAppHost host, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, host.PushUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-NuGet-ApiKey", host.ApiKey);
        return await host.Client.SendAsync(request);
    }

    private static async Task AssertNothingStoredAsync(FeedAppHost host)
    {
        Assert.Empty(await FeedHttp.AllRowsAsync(host));
        Assert.Empty(await FeedHttp.AllBlobsAsync(host));
    }
}
