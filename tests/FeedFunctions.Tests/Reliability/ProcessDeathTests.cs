using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// The Functions host and its worker killed (SIGKILL, the whole process tree) in the middle of parallel pushes,
/// then a new host started on the same storage: every push that was acknowledged with 201 is downloadable byte for
/// byte, no row is half-visible (every row's blobs exist and match), the host's timer sweep delivers the events the
/// dead worker never sent, and clients retrying with their session id get 201 for every package.
/// </summary>
public sealed class ProcessDeathTests(ITestOutputHelper output)
{
    [HostFact]
    public async Task Killing_the_app_mid_push_loses_no_acknowledged_package_and_leaves_nothing_half_visible()
    {
        var report = new ScenarioReport("process death");
        await using var azurite = await AzuriteInstance.StartNewAsync();
        var apiKey = "kill-key-" + Guid.NewGuid().ToString("N");
        var temp = Directory.CreateTempSubdirectory("feed-kill-");
        var environment = new Dictionary<string, string>
        {
            ["Feed__ApiKey"] = apiKey,
            ["Feed__TempPath"] = temp.FullName,
            ["Feed__Events__SweepAge"] = "00:00:01",
            ["Feed__Events__SweepSchedule"] = "*/2 * * * * *",
        };

        var cycles = Soak.Pick(1, 5);
        var perCycle = Soak.Pick(120, 300);
        var packages = Enumerable.Range(0, cycles * perCycle)
            .Select(i => (Id: $"Contoso.Kill{i % 12}", Version: $"1.{i / 12}.0", Session: Guid.NewGuid().ToString()))
            .Select(p => (p.Id, p.Version, p.Session, Bytes: TestPackage.Create(p.Id, p.Version).ToBytes()))
            .ToArray();
        var acknowledged = new ConcurrentDictionary<int, bool>();
        var dropped = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name)
        {
            report.Notes.Add($"{name}: {clock.Elapsed.TotalSeconds:F1} s");
            clock.Restart();
        }

        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                await using var feed = await FunctionsHost.StartAsync(environment, azurite);
                var batch = Enumerable.Range(cycle * perCycle, perCycle).ToArray();
                var killAt = acknowledged.Count + perCycle / 4;
                var killed = 0;
                var pushes = Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                {
                    if (Volatile.Read(ref killed) == 1)
                    {
                        return;
                    }

                    report.Request();
                    try
                    {
                        using var response = await PushAsync(feed, apiKey, packages[i]);
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged[i] = true;
                        }
                        else
                        {
                            report.Violation($"{packages[i].Id} {packages[i].Version}: {(int)response.StatusCode} {response.ReasonPhrase}");
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        Interlocked.Increment(ref dropped);
                        report.Failure();
                    }
                });

                // Kill while pushes are in flight: a quarter of the batch acknowledged, 16 more on the wire.
                Phase("started");
                await Poll.UntilAsync(() => Task.FromResult(acknowledged.Count), n => n >= killAt, TimeSpan.FromSeconds(120), "acknowledged pushes before the kill");
                Phase("until kill");
                feed.Kill();
                Volatile.Write(ref killed, 1);
                report.Faults(1);
                await pushes;
                report.Notes.Add($"cycle {cycle}: killed the host and its worker after {acknowledged.Count} acknowledged pushes");
            }

            Phase("pushes ended");
            await using var restarted = await FunctionsHost.StartAsync(environment, azurite);
            Phase("restarted");
            var storage = restarted.Storage;

            // What survived the kills, before any retry: nothing half-visible, every acknowledged package intact.
            var afterCrash = await FeedInvariants.ReadAsync(storage);
            foreach (var violation in afterCrash.Violations)
            {
                report.Violation("after the crash: " + violation);
                report.DataLost++;
            }

            foreach (var i in acknowledged.Keys)
            {
                using var download = await restarted.Client.GetAsync($"/api/v2/package/{packages[i].Id}/{packages[i].Version}");
                report.Request();
                if (download.StatusCode != HttpStatusCode.OK || !(await download.Content.ReadAsByteArrayAsync()).AsSpan().SequenceEqual(packages[i].Bytes))
                {
                    report.Violation($"{packages[i].Id} {packages[i].Version}: acknowledged but not downloadable ({(int)download.StatusCode})");
                    report.DataLost++;
                }
            }

            var committedUnacknowledged = afterCrash.Rows.Count - acknowledged.Count;
            report.Notes.Add($"after the crash: rows={afterCrash.Rows.Count} acknowledged={acknowledged.Count} committed-but-unacknowledged={committedUnacknowledged} " +
                             $"dropped requests={dropped} pending events={afterCrash.PendingEvents} unreferenced blobs={afterCrash.UnreferencedBlobs} " +
                             $"spooled temp files left={temp.GetFiles().Length}");

            Phase("checked");
            // The clients whose connection dropped retry with their session: each must now get 201.
            var retried = 0;
            foreach (var i in Enumerable.Range(0, packages.Length).Where(i => !acknowledged.ContainsKey(i)))
            {
                using var retry = await PushAsync(restarted, apiKey, packages[i]);
                report.Request();
                retried++;
                if (retry.StatusCode != HttpStatusCode.Created)
                {
                    report.Violation($"{packages[i].Id} {packages[i].Version}: retry after the crash answered {(int)retry.StatusCode} {retry.ReasonPhrase}");
                }
            }

            Phase("retried");
            // The host's timer sweep sends what the dead worker committed but never sent, and its queue trigger handles
            // every message it can see. Messages the killed host had already received stay invisible until its queue
            // lease (10 minutes) runs out, as in Azure: they are still in the queue, so not lost, only late.
            await Poll.UntilAsync(
                async () => (await FeedInvariants.ReadAsync(storage, verifyBytes: false)).PendingEvents + (await storage.EventsQueue.PeekTextsAsync(32)).Count,
                n => n == 0,
                TimeSpan.FromSeconds(90),
                "no pending event row and no visible event message");

            Phase("swept+drained");
            var final = await FeedInvariants.ReadAsync(storage);
            foreach (var violation in final.Violations)
            {
                report.Violation("final: " + violation);
                report.DataLost++;
            }

            Assert.Equal(packages.Length, final.Rows.Count);
            Assert.Equal(0, final.PendingEvents);
            var withoutEvent = 0;
            foreach (var id in packages.Select(p => p.Id).Distinct())
            {
                var audited = (await ScenarioReport.AuditAsync(storage, id)).Where(e => e.Type == PackageEventType.Uploaded).Select(e => e.Version).ToHashSet();
                withoutEvent += final.Rows.Count(r => r.Id == id && !audited.Contains(r.Version));
            }

            // Every version without its audited event must have a message still held under the dead host's lease.
            var leased = await storage.EventsQueue.GetApproximateMessageCountAsync();
            var missingEvents = Math.Max(0, withoutEvent - leased);
            report.Notes.Add($"versions whose event waits out the killed host's queue lease: {withoutEvent} (messages in the queue: {leased})");
            Phase("audit");
            report.DataLost += missingEvents;
            report.Notes.Add($"retried={retried} final rows={final.Rows.Count} missing events={missingEvents}");
        }
        finally
        {
            temp.Delete(recursive: true);
        }

        report.AssertClean(output);
    }

    private static async Task<HttpResponseMessage> PushAsync(FunctionsHost feed, string apiKey, (string Id, string Version, string Session, byte[] Bytes) package)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v2/package/");
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(package.Bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "package", "package.nupkg");
        request.Content = content;
        request.Headers.Add("X-NuGet-ApiKey", apiKey);
        request.Headers.Add("X-NuGet-Session-Id", package.Session);
        return await feed.Client.SendAsync(request);
    }
}
