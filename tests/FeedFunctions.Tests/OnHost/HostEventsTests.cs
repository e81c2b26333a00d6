using System.Net;
using System.Text;
using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// Events handled by the host's own triggers: the queue trigger runs the handlers (webhook, audit log) with the
/// host's retries and poison queue, and the timer trigger sweeps the outbox.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostEventsTests(SharedHost shared)
{
    private FunctionsHost Host => shared.Host;

    private WebhookReceiver Receiver => shared.Receiver;

    private static PackageEvent AssertSigned(WebhookDelivery delivery)
    {
        Assert.True(WebhookSignature.Verify(SharedHost.WebhookSecret, delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)), delivery.Signature);
        return PackageEventJson.Deserialize(Encoding.UTF8.GetString(delivery.Body))!;
    }

    private Task<IReadOnlyList<WebhookDelivery>> DeliveriesAsync(string id, int atLeast) =>
        Poll.UntilAsync(() => Task.FromResult(Receiver.DeliveredFor(id)), d => d.Count >= atLeast, TimeSpan.FromSeconds(60), $"{atLeast} webhook deliveries for {id}");

    private async Task<List<PackageEvent>> AuditAsync(string id)
    {
        var events = new List<PackageEvent>();
        await foreach (var e in new AuditLogHandler(Host.Storage).QueryAsync(id))
        {
            events.Add(e);
        }

        return events;
    }

    [HostFact]
    public async Task A_push_with_the_real_client_fires_one_signed_webhook_through_the_queue_trigger()
    {
        using var cli = new NuGetCli(Host.PushUrl);
        var package = await PackedPackages.PathAsync("Contoso.Host.Hook", "1.0.0");

        var push = await cli.PushAsync(package, Host.ApiKey);
        var delivered = await DeliveriesAsync("Contoso.Host.Hook", 1);
        var audit = await Poll.UntilAsync(() => AuditAsync("Contoso.Host.Hook"), a => a.Count >= 1, what: "the audit row");

        Assert.True(push.ExitCode == 0, push.ToString());
        var packageEvent = AssertSigned(Assert.Single(delivered));
        Assert.Equal((PackageEventType.Uploaded, "1.0.0", new FileInfo(package).Length), (packageEvent.Type, packageEvent.Version, packageEvent.Size));
        Assert.Equal(packageEvent.EventId, Assert.Single(audit).EventId);
        Assert.Equal(1, Receiver.AttemptsFor("Contoso.Host.Hook"));
    }

    [HostFact]
    public async Task Unlist_and_relist_fire_their_events_in_order()
    {
        using (var push = await FeedHttp.PushAsync(Host, TestPackage.Create("Contoso.Host.Flip", "1.0.0").ToBytes()))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        await DeliveriesAsync("Contoso.Host.Flip", 1);
        using var unlist = await FeedHttp.SendAsync(Host, HttpMethod.Delete, "/api/v2/package/Contoso.Host.Flip/1.0.0", Host.ApiKey);
        await DeliveriesAsync("Contoso.Host.Flip", 2);
        using var relist = await FeedHttp.SendAsync(Host, HttpMethod.Post, "/api/v2/package/Contoso.Host.Flip/1.0.0", Host.ApiKey);
        var delivered = await DeliveriesAsync("Contoso.Host.Flip", 3);

        Assert.Equal(HttpStatusCode.NoContent, unlist.StatusCode);
        Assert.Equal(HttpStatusCode.OK, relist.StatusCode);
        Assert.Equal([PackageEventType.Uploaded, PackageEventType.Unlisted, PackageEventType.Relisted], delivered.Select(AssertSigned).Select(e => e.Type));
    }

    [HostFact]
    public async Task A_receiver_that_fails_three_times_gets_the_event_on_the_hosts_fourth_attempt()
    {
        Receiver.FailFirstFor["Contoso.Host.Flaky"] = 3;

        using var push = await FeedHttp.PushAsync(Host, TestPackage.Create("Contoso.Host.Flaky", "1.0.0").ToBytes());
        var delivered = await DeliveriesAsync("Contoso.Host.Flaky", 1);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        AssertSigned(Assert.Single(delivered));
        Assert.Equal(4, Receiver.AttemptsFor("Contoso.Host.Flaky"));
    }

    [HostFact]
    public async Task An_event_that_always_fails_goes_to_poison_after_the_hosts_five_attempts_and_pushes_keep_working()
    {
        Receiver.FailFirstFor["Contoso.Host.Poison"] = int.MaxValue;

        using var push = await FeedHttp.PushAsync(Host, TestPackage.Create("Contoso.Host.Poison", "1.0.0").ToBytes());
        var poisoned = await Poll.UntilAsync(
            async () => (await Host.Storage.PoisonQueue.PeekTextsAsync()).Select(PackageEventJson.Deserialize).Where(e => e?.PackageId == "Contoso.Host.Poison").ToList(),
            list => list.Count >= 1,
            TimeSpan.FromSeconds(90),
            "the poison message");
        using var nextPush = await FeedHttp.PushAsync(Host, TestPackage.Create("Contoso.Host.Poison", "1.0.1").ToBytes());

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.Equal(PackageEventType.Uploaded, Assert.Single(poisoned)!.Type);
        Assert.Equal(5, Receiver.AttemptsFor("Contoso.Host.Poison") - (Receiver.DeliveredFor("Contoso.Host.Poison").Count));
        Assert.Equal(HttpStatusCode.Created, nextPush.StatusCode);
    }

    [HostFact]
    public async Task The_timer_sweep_sends_an_event_whose_change_committed_but_whose_message_was_never_sent()
    {
        // What a worker that died right after its commit leaves behind: the pending-event row, and no message.
        var orphan = PackageEvent.Create(PackageEventType.Unlisted, "Contoso.Host.Orphan", "1.0.0", 42, "sha", "crashed-key", DateTimeOffset.UtcNow.AddMinutes(-1));
        var outbox = new PackageEventOutbox(Host.Storage, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PackageEventOutbox>.Instance);
        await Host.Storage.PackagesTable.SubmitTransactionAsync([outbox.PendingRow("contoso.host.orphan", orphan)]);

        var delivered = await DeliveriesAsync("Contoso.Host.Orphan", 1);
        var pendingLeft = await Poll.UntilAsync(
            async () => (await FeedHttp.AllRowsAsync(Host)).Count(r => r.PartitionKey == "contoso.host.orphan"),
            n => n == 0,
            what: "the pending row to be cleared");

        Assert.Equal(orphan.EventId, AssertSigned(Assert.Single(delivered)).EventId);
        Assert.Equal(0, pendingLeft);
    }
}
