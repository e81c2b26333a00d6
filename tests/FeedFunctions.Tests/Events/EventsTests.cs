using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Events;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Events;

/// <summary>
/// Events in process: commit + outbox, queue, the event functions called as the host's triggers would
/// (<see cref="InProcessEvents"/>), handlers, webhook. The host's own triggers: <c>OnHost/HostEventsTests</c>.
/// </summary>
public sealed class EventsTests
{
    private const string Secret = "webhook-secret";

    private static Task<FeedAppHost> StartFeedAsync(
        WebhookReceiver receiver, Action<IServiceCollection>? services = null, string sweepAge = "00:02:00", int maxRetries = 3) =>
        FeedAppHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Feed:Webhooks:0:Url"] = receiver.Url,
                ["Feed:Webhooks:0:Secret"] = Secret,
                ["Feed:Events:SweepAge"] = sweepAge,
                ["Feed:Storage:Retry:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services);

    private static async Task AssertEventsSettledAsync(FeedAppHost host)
    {
        await FeedHttp.WaitForOutboxAsync(host);
        await InProcessEvents.DrainAsync(host);
        Assert.Equal(0, await host.Storage.EventsQueue.GetApproximateMessageCountAsync());
        Assert.DoesNotContain(await FeedHttp.AllRowsAsync(host), row => row.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal));
    }

    private static PackageEvent AssertSigned(WebhookDelivery delivery)
    {
        Assert.True(WebhookSignature.Verify(Secret, delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), delivery.Signature);
        Assert.False(WebhookSignature.Verify("wrong-secret", delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var packageEvent = PackageEventJson.Deserialize(Encoding.UTF8.GetString(delivery.Body))!;
        Assert.Equal(packageEvent.EventId, delivery.EventId);
        Assert.Equal(packageEvent.Type, delivery.EventType);
        return packageEvent;
    }

    [Fact]
    public async Task A_push_through_the_real_client_produces_exactly_one_signed_webhook_event()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StartFeedAsync(receiver);
        using var cli = new NuGetCli(host.PushUrl);
        var package = await PackedPackages.PathAsync();

        var push = await cli.PushAsync(package, host.ApiKey);
        await AssertEventsSettledAsync(host);

        Assert.True(push.ExitCode == 0, push.ToString());
        var delivery = Assert.Single(receiver.Delivered);
        var packageEvent = AssertSigned(delivery);
        Assert.Equal(PackageEventType.Uploaded, packageEvent.Type);
        Assert.Equal(PackedPackages.Id, packageEvent.PackageId);
        Assert.Equal(PackedPackages.Version, packageEvent.Version);
        Assert.Equal(new FileInfo(package).Length, packageEvent.Size);
        Assert.Equal("configured-key", packageEvent.KeyName);
        Assert.DoesNotContain(host.ApiKey, Encoding.UTF8.GetString(delivery.Body));
        var audit = await ReadAuditAsync(host, PackedPackages.Id);
        Assert.Equal(packageEvent.EventId, Assert.Single(audit).EventId);
    }

    [Fact]
    public async Task Unlist_and_relist_produce_their_events_and_a_no_op_relist_produces_none()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StartFeedAsync(receiver);
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Events", "1.0.0").ToBytes());

        using var unlist = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Events/1.0.0", host.ApiKey);
        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Events/1.0.0", host.ApiKey);
        using var relistAgain = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Events/1.0.0", host.ApiKey);
        await AssertEventsSettledAsync(host);

        Assert.Equal(HttpStatusCode.OK, relistAgain.StatusCode);
        var types = receiver.Delivered.Select(AssertSigned).OrderBy(e => e.Timestamp).Select(e => e.Type).ToArray();
        Assert.Equal([PackageEventType.Uploaded, PackageEventType.Unlisted, PackageEventType.Relisted], types);
        Assert.Equal(3, (await ReadAuditAsync(host, "contoso.events")).Count);
    }

    [Fact]
    public async Task A_receiver_that_fails_three_times_still_gets_the_event_once_recorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 3;
        await using var host = await StartFeedAsync(receiver);

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Flaky", "1.0.0").ToBytes());
        await AssertEventsSettledAsync(host);

        Assert.Equal(4, receiver.Attempts);
        AssertSigned(Assert.Single(receiver.Delivered));
        Assert.Single(await ReadAuditAsync(host, "Contoso.Flaky"));
        Assert.Equal(0, await host.Storage.PoisonQueue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task A_receiver_that_always_fails_sends_the_event_to_poison_after_five_attempts_and_pushes_keep_working()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        await using var host = await StartFeedAsync(receiver);

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Poison", "1.0.0").ToBytes());
        await InProcessEvents.DrainAsync(host);
        var poisoned = await host.Storage.PoisonQueue.PeekTextsAsync();
        using var nextPush = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Poison", "1.0.1").ToBytes());

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(5, receiver.Attempts);
        Assert.Equal(PackageEventType.Uploaded, PackageEventJson.Deserialize(poisoned[0])!.Type);
        Assert.Equal(HttpStatusCode.Created, nextPush.StatusCode);
        Assert.True((await FeedHttp.FindAsync(host, "Contoso.Poison", "1.0.1"))!.Listed);
    }

    [Fact]
    public async Task A_crash_between_commit_and_queue_send_is_repaired_by_the_timer_sweep()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var fault = new FaultInjectionPolicy(m => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal));
        await using var host = await StartFeedAsync(receiver, s => s.AddSingleton<HttpPipelinePolicy>(fault), sweepAge: "00:00:00", maxRetries: 0);

        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Crash", "1.0.0").ToBytes());

        // The push sends its event just after its response: wait until that send has failed.
        await Poll.UntilAsync(() => Task.FromResult(fault.Injected), n => n >= 1, what: "the failed queue send");
        var pending = (await FeedHttp.AllRowsAsync(host)).Where(r => r.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal)).ToList();
        var queuedWhileBroken = await host.Storage.EventsQueue.GetApproximateMessageCountAsync();
        fault.Enabled = false;
        var queuedBeforeSweep = await host.Storage.EventsQueue.GetApproximateMessageCountAsync();
        await InProcessEvents.SweepAsync(host);
        var queuedAfterSweep = await host.Storage.EventsQueue.GetApproximateMessageCountAsync();
        await AssertEventsSettledAsync(host);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.True(fault.Injected >= 1);
        Assert.Single(pending);
        Assert.Equal(0, queuedWhileBroken);
        Assert.Equal((0, 1), (queuedBeforeSweep, queuedAfterSweep));
        Assert.Equal("Contoso.Crash", AssertSigned(Assert.Single(receiver.Delivered)).PackageId);
    }

    private static async Task<List<PackageEvent>> ReadAuditAsync(FeedAppHost host, string packageId)
    {
        var audit = host.Services.GetRequiredService<AuditLogHandler>();
        return await Poll.UntilAsync(
            async () =>
            {
                var list = new List<PackageEvent>();
                await foreach (var e in audit.QueryAsync(packageId))
                {
                    list.Add(e);
                }

                return list;
            },
            list => list.Count > 0,
            what: "audit rows");
    }
}
