using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Events;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// A commit whose response is lost is resent by the retry policy and then fails against our own change (the row
/// is gone, or its ETag moved). The answer must still be the truth: the change happened, and its event is sent.
/// </summary>
public sealed class LostResponseTests
{
    private static async Task<(FeedAppHost Host, StorageFaultPolicy Faults)> StartAsync(string deleteMode)
    {
        var faults = new StorageFaultPolicy();
        var host = await FeedAppHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Feed:DeleteMode"] = deleteMode,
                ["Feed:Storage:Retry:Delay"] = "00:00:00.010",
            },
            s => s.AddSingleton<HttpPipelinePolicy>(faults));
        return (host, faults);
    }

    private static bool IsBatch(HttpMessage message) =>
        message.Request.Method == RequestMethod.Post && message.Request.Uri.Path.EndsWith("/$batch", StringComparison.Ordinal);

    [Theory]
    [InlineData("HardDelete", "DELETE", HttpStatusCode.NoContent, PackageEventType.Deleted)]
    [InlineData("Unlist", "DELETE", HttpStatusCode.NoContent, PackageEventType.Unlisted)]
    public async Task A_delete_whose_commit_response_was_lost_answers_success_and_sends_its_event(
        string deleteMode, string method, HttpStatusCode expected, string eventType)
    {
        var (host, faults) = await StartAsync(deleteMode);
        await using var _ = host;
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Lost", "1.0.0").ToBytes());
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        await FeedHttp.WaitForOutboxAsync(host);
        var queuedAfterPush = await host.Storage.EventsQueue.GetApproximateMessageCountAsync();

        faults.Arm(IsBatch, StorageFault.LostResponse, count: 1);
        using var delete = await FeedHttp.SendAsync(host, new HttpMethod(method), "/api/v2/package/Contoso.Lost/1.0.0", host.ApiKey);
        faults.Disarm();
        var messages = await host.Storage.EventsQueue.PeekTextsAsync(32);

        Assert.Equal(1, faults.Injected);
        Assert.Equal(expected, delete.StatusCode);
        Assert.Equal(queuedAfterPush + 1, messages.Count);
        Assert.Contains(messages, m => PackageEventJson.Deserialize(m)!.Type == eventType);
        Assert.DoesNotContain(await FeedHttp.AllRowsAsync(host), r => r.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal));
    }
}
