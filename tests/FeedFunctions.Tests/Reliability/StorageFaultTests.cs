using System.Net;
using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// Storage faults at every step of push, unlist and relist. The promise under test is "never a lie": a 2xx means
/// the state is there (row, blob, downloadable); a 5xx means either nothing changed, or the change committed
/// and a retry (same X-NuGet-Session-Id for a push) answers 2xx. After faults stop and a retry, the state is
/// right, no row points to a missing blob, and after an outbox sweep every change has exactly one event.
/// </summary>
public sealed class StorageFaultTests(ITestOutputHelper output)
{
    public enum Step
    {
        NupkgUpload,
        RowRead,
        Commit,
        QueueSend,
        PendingEventDelete,
    }

    /// <summary>Once: one attempt fails and the storage retry policy should hide it. Always: storage stays broken.</summary>
    private static readonly (StorageFault Fault, bool Always)[] Faults =
    [
        (StorageFault.DropBeforeSend, false),
        (StorageFault.DropBeforeSend, true),
        (StorageFault.LostResponse, false),
        (StorageFault.LostResponse, true),
        (StorageFault.Status500, true),
        (StorageFault.Status503, false),
        (StorageFault.Delay, false),
    ];

    /// <summary>A push reads no row (its insert is the existence check), and sends its event after its response.</summary>
    private static readonly Step[] PushSteps = [Step.NupkgUpload, Step.Commit, Step.QueueSend, Step.PendingEventDelete];

    private static readonly Step[] ListingSteps = [Step.RowRead, Step.Commit, Step.QueueSend, Step.PendingEventDelete];

    private static Func<HttpMessage, bool> Matches(Step step, FeedStorageOptions names) => message =>
    {
        var request = message.Request;
        var path = request.Uri.Path;
        return step switch
        {
            Step.NupkgUpload => request.Method == RequestMethod.Put && path.EndsWith(".nupkg", StringComparison.Ordinal),
            Step.RowRead => request.Method == RequestMethod.Get && path.Contains("/" + names.PackagesTable + "(", StringComparison.Ordinal),
            Step.Commit => request.Method == RequestMethod.Post && path.EndsWith("/$batch", StringComparison.Ordinal),
            Step.QueueSend => request.Method == RequestMethod.Post && path.EndsWith("/" + names.EventsQueue + "/messages", StringComparison.Ordinal),
            Step.PendingEventDelete => request.Method == RequestMethod.Delete && path.Contains("/" + names.PackagesTable + "(", StringComparison.Ordinal)
                                       && Uri.UnescapeDataString(path).Contains(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal),
            _ => false,
        };
    };

    private static async Task<(FeedAppHost Host, StorageFaultPolicy Policy)> StartAsync()
    {
        var policy = new StorageFaultPolicy();
        // Production retry count, shorter back-off so a fault that outlasts every retry costs milliseconds.
        var host = await FeedAppHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Feed:Events:SweepAge"] = "00:00:00",
                ["Feed:Storage:Retry:Delay"] = "00:00:00.010",
                ["Feed:Storage:Retry:MaxDelay"] = "00:00:00.050",
            },
            s => s.AddSingleton<HttpPipelinePolicy>(policy));
        return (host, policy);
    }

    private static FeedStorageOptions Names(FeedAppHost host) => new() { NamePrefix = host.NamePrefix };

    [Fact]
    public async Task Push_under_storage_faults_never_lies_and_loses_nothing()
    {
        var report = new ScenarioReport("storage faults: push");
        var (host, policy) = await StartAsync();
        await using var _ = host;
        var packages = new List<(string Id, byte[] Bytes)>();
        var rounds = Soak.Pick(1, 5);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var step in PushSteps)
            {
                foreach (var (fault, always) in Faults)
                {
                    var id = $"Fault.Push.{step}.{fault}.{(always ? "Always" : "Once")}.R{round}";
                    var bytes = TestPackage.Create(id, "1.0.0").WithDescription($"fault case {id}").ToBytes();
                    packages.Add((id, bytes));
                    await PushCaseAsync(host, policy, report, Matches(step, Names(host)), fault, always, id, bytes);
                }
            }
        }

        await AssertEventsAndStateAsync(host, report, packages.Select(p => (p.Id, p.Bytes, new[] { PackageEventType.Uploaded })).ToList());
        report.AssertClean(output);
    }

    [Fact]
    public async Task Unlist_and_relist_under_storage_faults_never_lie_and_lose_no_event()
    {
        var report = new ScenarioReport("storage faults: unlist/relist");
        var (host, policy) = await StartAsync();
        await using var _ = host;
        var expected = new List<(string Id, byte[] Bytes, string[] Events)>();
        var rounds = Soak.Pick(1, 5);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var relist in new[] { false, true })
            {
                foreach (var step in ListingSteps)
                {
                    foreach (var (fault, always) in Faults)
                    {
                        var id = $"Fault.{(relist ? "Relist" : "Unlist")}.{step}.{fault}.{(always ? "Always" : "Once")}.R{round}";
                        var bytes = TestPackage.Create(id, "1.0.0").ToBytes();
                        await ListingCaseAsync(host, policy, report, Matches(step, Names(host)), fault, always, id, bytes, relist);
                        expected.Add((id, bytes, relist
                            ? [PackageEventType.Uploaded, PackageEventType.Unlisted, PackageEventType.Relisted]
                            : [PackageEventType.Uploaded, PackageEventType.Unlisted]));
                    }
                }
            }
        }

        await AssertEventsAndStateAsync(host, report, expected);
        report.AssertClean(output);
    }

    /// <summary>
    /// Regression: the retry policy resent a commit whose response was lost, the resend conflicted with the row the
    /// first attempt had written, and the push took that for a lost race: it deleted its blobs (the row's blobs)
    /// and answered 409, or 201 for a session retry. The row then pointed at nothing.
    /// </summary>
    [Theory]
    [InlineData(null)]
    [InlineData("session-1")]
    public async Task A_commit_whose_response_was_lost_keeps_its_blobs_and_answers_201(string? session)
    {
        var (host, policy) = await StartAsync();
        await using var _ = host;
        var bytes = TestPackage.Create("Contoso.LostCommit", "1.0.0").ToBytes();
        policy.Arm(Matches(Step.Commit, Names(host)), StorageFault.LostResponse, count: 1);

        using var response = await FeedHttp.PushAsync(host, bytes, sessionId: session);
        policy.Disarm();
        using var download = await host.Client.GetAsync("/api/v2/package/Contoso.LostCommit/1.0.0");

        Assert.Equal(1, policy.Injected);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Empty((await FeedInvariants.ReadAsync(host.Storage)).Violations);
    }

    private static async Task PushCaseAsync(
        FeedAppHost host, StorageFaultPolicy policy, ScenarioReport report, Func<HttpMessage, bool> matches,
        StorageFault fault, bool always, string id, byte[] bytes)
    {
        var session = Guid.NewGuid().ToString();
        var sha = Convert.ToBase64String(SHA512.HashData(bytes));
        // The event goes out just after the response: the fault stays armed until it did (or the fault fired).
        var status = await SendUnderFaultAsync(policy, report, matches, fault, always, id, async () =>
        {
            var response = await FeedHttp.PushAsync(host, bytes, sessionId: session);
            await Poll.UntilAsync(
                async () => policy.Injected > 0 || !(await FeedHttp.AllRowsAsync(host)).Any(r => r.PartitionKey == id.ToLowerInvariant() && r.RowKey.StartsWith('~')),
                done => done,
                TimeSpan.FromSeconds(30),
                $"{id}: the event sent or the fault fired");
            return response;
        });

        if (status == HttpStatusCode.Created)
        {
            // A 201 must mean the package is there and downloadable, byte for byte.
            await ExpectDownloadableAsync(host, report, id, bytes, "after the 201 under faults");
        }
        else if ((int)status >= 500)
        {
            report.Failure();
            var row = await FeedHttp.FindAsync(host, id, "1.0.0");
            if (row is not null && row.Sha512 != sha)
            {
                report.Violation($"{id}: 5xx, and a row with other bytes appeared");
            }
        }
        else
        {
            report.Violation($"{id}: {fault} at this step answered {(int)status}, neither success nor an honest 5xx");
        }

        // The NuGet client retries with the same session: that must succeed now, whatever the first attempt left.
        using var retry = await FeedHttp.PushAsync(host, bytes, sessionId: session);
        report.Request();
        if (retry.StatusCode != HttpStatusCode.Created)
        {
            report.Violation($"{id}: the retry with the same session after {(int)status} answered {(int)retry.StatusCode} {retry.ReasonPhrase}");
        }

        report.Notes.Add($"{id}: {(int)status} after {policy.Injected} fault(s), session retry {(int)retry.StatusCode}");
        await ExpectDownloadableAsync(host, report, id, bytes, "after the retry");
    }

    private static async Task ListingCaseAsync(
        FeedAppHost host, StorageFaultPolicy policy, ScenarioReport report, Func<HttpMessage, bool> matches,
        StorageFault fault, bool always, string id, byte[] bytes, bool relist)
    {
        using (var push = await FeedHttp.PushAsync(host, bytes))
        {
            report.Request();
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        var path = $"/api/v2/package/{id}/1.0.0";
        if (relist)
        {
            using var unlist = await FeedHttp.SendAsync(host, HttpMethod.Delete, path, host.ApiKey);
            report.Request();
            Assert.Equal(HttpStatusCode.NoContent, unlist.StatusCode);
        }

        var method = relist ? HttpMethod.Post : HttpMethod.Delete;
        var success = relist ? HttpStatusCode.OK : HttpStatusCode.NoContent;
        var status = await SendUnderFaultAsync(policy, report, matches, fault, always, id, () => FeedHttp.SendAsync(host, method, path, host.ApiKey));

        var row = await FeedHttp.FindAsync(host, id, "1.0.0");
        if (status == success)
        {
            if (row?.Listed != relist)
            {
                report.Violation($"{id}: answered {(int)status} but the row says Listed={row?.Listed}");
            }
        }
        else if ((int)status >= 500)
        {
            report.Failure();
        }
        else
        {
            report.Violation($"{id}: {fault} answered {(int)status}, neither success nor an honest 5xx");
        }

        using var retry = await FeedHttp.SendAsync(host, method, path, host.ApiKey);
        report.Request();
        row = await FeedHttp.FindAsync(host, id, "1.0.0");
        if (retry.StatusCode != success || row?.Listed != relist)
        {
            report.Violation($"{id}: retry answered {(int)retry.StatusCode}, row Listed={row?.Listed}");
        }

        report.Notes.Add($"{id}: {(int)status} after {policy.Injected} fault(s), retry {(int)retry.StatusCode}");
        await ExpectDownloadableAsync(host, report, id, bytes, "after unlist/relist");
    }

    private static async Task ExpectDownloadableAsync(FeedAppHost host, ScenarioReport report, string id, byte[] bytes, string when)
    {
        using var download = await host.Client.GetAsync($"/api/v2/package/{id}/1.0.0");
        report.Request();
        var body = download.IsSuccessStatusCode ? await download.Content.ReadAsByteArrayAsync() : [];
        if (download.StatusCode != HttpStatusCode.OK || !body.AsSpan().SequenceEqual(bytes))
        {
            report.Violation($"{id}: not downloadable byte-identical {when} ({(int)download.StatusCode})");
            report.DataLost++;
        }
    }

    /// <summary>
    /// Sweeps the outbox and drains the queue through the event functions, then checks
    /// storage: no pending event left, no row without its blob, and each package's audit trail holds exactly the
    /// expected events (a retry that found the change already made must not emit a second one).
    /// </summary>
    private static async Task AssertEventsAndStateAsync(FeedAppHost host, ScenarioReport report, List<(string Id, byte[] Bytes, string[] Events)> expected)
    {
        await InProcessEvents.SweepAsync(host);
        await InProcessEvents.DrainAsync(host);

        var snapshot = await FeedInvariants.ReadAsync(host.Storage);
        foreach (var violation in snapshot.Violations)
        {
            report.Violation(violation);
            report.DataLost++;
        }

        if (snapshot.PendingEvents != 0)
        {
            report.Violation($"{snapshot.PendingEvents} pending event row(s) left after the sweep");
        }

        var lostEvents = 0;
        foreach (var (id, _, events) in expected)
        {
            List<PackageEvent> audit;
            try
            {
                audit = await Poll.UntilAsync(() => ScenarioReport.AuditAsync(host.Storage, id), a => a.Count >= events.Length, TimeSpan.FromSeconds(20), $"audit of {id}");
            }
            catch (TimeoutException)
            {
                audit = await ScenarioReport.AuditAsync(host.Storage, id);
            }

            var types = audit.Select(e => e.Type).ToArray();
            if (!types.SequenceEqual(events))
            {
                report.Violation($"{id}: events [{string.Join(", ", types)}], expected [{string.Join(", ", events)}]");
                lostEvents += Math.Max(0, events.Length - types.Length);
            }
        }

        report.DataLost += lostEvents;
        report.Notes.Add($"rows={snapshot.Rows.Count} unreferencedBlobs={snapshot.UnreferencedBlobs} (left by failed attempts; never listed) lostEvents={lostEvents}");
        Assert.Equal(0, await host.Storage.PoisonQueue.GetApproximateMessageCountAsync());
    }

    /// <summary>Arms the fault, sends one request, disarms, and counts what happened; a fault that never fired is a violation.</summary>
    private static async Task<HttpStatusCode> SendUnderFaultAsync(
        StorageFaultPolicy policy, ScenarioReport report, Func<HttpMessage, bool> matches, StorageFault fault, bool always, string id,
        Func<Task<HttpResponseMessage>> send)
    {
        policy.Arm(matches, fault, always ? int.MaxValue : 1);
        HttpStatusCode status;
        try
        {
            using var response = await send();
            status = response.StatusCode;
        }
        finally
        {
            report.Faults(policy.Injected);
            policy.Disarm();
        }

        report.Request();
        if (policy.Injected == 0 && fault != StorageFault.Delay)
        {
            report.Violation($"{id}: the fault never fired, so this case proved nothing");
        }

        return status;
    }
}
