using System.Net.Http.Headers;
using FeedFunctions.Packages;
using Azure.Data.Tables;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>HTTP calls shaped like the NuGet client's, plus reads of what the feed stored.</summary>
public static class FeedHttp
{
    public static HttpRequestMessage PushRequest(IFeedUnderTest host, byte[] package, string? apiKey = null, string? sessionId = null, bool multipart = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, host.PushUrl + "/");
        if (multipart)
        {
            var content = new MultipartFormDataContent();
            var part = new ByteArrayContent(package);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "package", "package.nupkg");
            request.Content = content;
        }
        else
        {
            request.Content = new ByteArrayContent(package);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        request.Headers.Add("X-NuGet-ApiKey", apiKey ?? host.ApiKey);
        if (sessionId is not null)
        {
            request.Headers.Add("X-NuGet-Session-Id", sessionId);
        }

        return request;
    }

    public static async Task<HttpResponseMessage> PushAsync(IFeedUnderTest host, byte[] package, string? apiKey = null, string? sessionId = null, bool multipart = true)
    {
        using var request = PushRequest(host, package, apiKey, sessionId, multipart);
        return await host.Client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> SendAsync(IFeedUnderTest host, HttpMethod method, string path, string? apiKey)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-NuGet-ApiKey", apiKey);
        }

        return await host.Client.SendAsync(request);
    }

    /// <summary>
    /// Waits until no pending-event row is left: a push sends its event just after its response (the outbox row
    /// commits with the change), so a test that looks at the queue or the outbox right after a push waits for this.
    /// </summary>
    public static Task WaitForOutboxAsync(IFeedUnderTest host) =>
        Poll.UntilAsync(
            async () => (await AllRowsAsync(host)).Count(r => r.RowKey.StartsWith(FeedFunctions.Events.PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal)),
            pending => pending == 0,
            TimeSpan.FromSeconds(30),
            "the pushes' events to leave the outbox");

    public static async Task<List<TableEntity>> AllRowsAsync(IFeedUnderTest host)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.PackagesTable.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    public static async Task<List<string>> AllBlobsAsync(IFeedUnderTest host)
    {
        var names = new List<string>();
        await foreach (var blob in host.Storage.Packages.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public static async Task<PackageRecord?> FindAsync(IFeedUnderTest host, string id, string version)
    {
        var row = await host.Storage.PackagesTable.GetEntityIfExistsAsync<TableEntity>(id.ToLowerInvariant(), version.ToLowerInvariant());
        return row.HasValue ? PackageRecordMapper.FromEntity(row.Value!) : null;
    }

    public static async Task<byte[]> DownloadBlobAsync(IFeedUnderTest host, string blobName)
    {
        var download = await host.Storage.Packages.GetBlobClient(blobName).DownloadContentAsync();
        return download.Value.Content.ToArray();
    }
}
