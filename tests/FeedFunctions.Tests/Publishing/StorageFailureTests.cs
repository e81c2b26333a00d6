using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Publishing;

public sealed class StorageFailureTests
{
    [Fact]
    public async Task A_failing_commit_answers_503_with_retry_after_and_a_retry_succeeds()
    {
        var fault = new FaultInjectionPolicy(m => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal));
        await using var host = await FeedAppHost.StartAsync(
            new Dictionary<string, string?> { ["Feed:Storage:Retry:MaxRetries"] = "0" }, s => s.AddSingleton<HttpPipelinePolicy>(fault));
        var bytes = TestPackage.Create("Contoso.Flaky", "1.0.0").ToBytes();
        var session = Guid.NewGuid().ToString();

        using var failed = await FeedHttp.PushAsync(host, bytes, sessionId: session);
        var rowsWhileBroken = await FeedHttp.AllRowsAsync(host);
        fault.Enabled = false;
        using var retried = await FeedHttp.PushAsync(host, bytes, sessionId: session);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Contains("retry", failed.ReasonPhrase, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Empty(rowsWhileBroken);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var record = await FeedHttp.FindAsync(host, "Contoso.Flaky", "1.0.0");
        Assert.Equal(bytes, await FeedHttp.DownloadBlobAsync(host, record!.BlobName));
    }
}
