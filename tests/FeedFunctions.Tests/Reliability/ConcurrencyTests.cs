using System.Net;
using System.Security.Cryptography;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// Load on one feed: a herd pushing the same id+version, many distinct pushes, and unlist/relist racing on one
/// version. Parallelism is bounded for a 2-core CI agent; soak mode raises the counts.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fifty_parallel_pushes_of_one_version_give_one_201_and_49_409_and_leave_only_the_winners_bytes()
    {
        var report = new ScenarioReport("concurrency: same id+version");
        await using var host = await FeedAppHost.StartAsync();
        var rounds = Soak.Pick(1, 10);
        for (var round = 0; round < rounds; round++)
        {
            var version = $"1.0.{round}";
            // Distinct bytes and sessions, as 50 separate client runs (different builds) would send.
            var packages = Enumerable.Range(0, 50)
                .Select(i => TestPackage.Create("Contoso.Herd", version).WithDescription($"Build number {i}").ToBytes())
                .ToArray();
            using var start = new SemaphoreSlim(0);
            var pushes = packages.Select(async (bytes, i) =>
            {
                await start.WaitAsync();
                using var response = await FeedHttp.PushAsync(host, bytes, sessionId: Guid.NewGuid().ToString());
                return (Index: i, response.StatusCode);
            }).ToArray();
            start.Release(packages.Length);
            var responses = await Task.WhenAll(pushes);
            report.Request(responses.Length);

            var winners = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToArray();
            var conflicts = responses.Count(r => r.StatusCode == HttpStatusCode.Conflict);
            var errors = responses.Count(r => (int)r.StatusCode >= 500);
            report.Failure(conflicts);
            report.Notes.Add($"round {round}: 201={winners.Length} 409={conflicts} 5xx={errors}");
            if (winners.Length != 1 || conflicts != 49 || errors != 0)
            {
                report.Violation($"round {round}: 201 x{winners.Length}, 409 x{conflicts}, 5xx x{errors}");
                continue;
            }

            var record = await FeedHttp.FindAsync(host, "Contoso.Herd", version);
            var winnerBytes = packages[winners[0].Index];
            if (record?.Sha512 != Convert.ToBase64String(SHA512.HashData(winnerBytes)))
            {
                report.Violation($"round {round}: the row does not hold the winner's hash");
                report.DataLost++;
            }
            else if (!(await FeedHttp.DownloadBlobAsync(host, record.BlobName)).AsSpan().SequenceEqual(winnerBytes))
            {
                report.Violation($"round {round}: the blob is not the winner's bytes");
                report.DataLost++;
            }
        }

        var snapshot = await FeedInvariants.ReadAsync(host.Storage);
        Assert.Equal(rounds, snapshot.Rows.Count);
        Assert.Empty(snapshot.Violations);
        // Every loser deleted its own blobs: only the winners' .nupkg are left.
        Assert.Equal(0, snapshot.UnreferencedBlobs);
        Assert.Equal(rounds, snapshot.Blobs);
        report.AssertClean(output);
    }

    [Fact]
    public async Task Two_hundred_parallel_pushes_of_distinct_packages_are_all_created_and_listed()
    {
        var count = Soak.Pick(200, 2000);
        var report = new ScenarioReport($"concurrency: {count} distinct pushes");
        await using var host = await FeedAppHost.StartAsync();
        var packages = Enumerable.Range(0, count)
            .Select(i => (Id: $"Contoso.Many{i % 20}", Version: $"1.{i / 20}.0"))
            .Select(p => (p.Id, p.Version, Bytes: TestPackage.Create(p.Id, p.Version).ToBytes()))
            .ToArray();

        // 32 in flight: enough to overlap every step of the push on 2 cores without queueing in Kestrel.
        var statuses = new HttpStatusCode[count];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
        {
            using var response = await FeedHttp.PushAsync(host, packages[i].Bytes, sessionId: Guid.NewGuid().ToString());
            statuses[i] = response.StatusCode;
        });
        report.Request(count);
        report.Notes.Add($"pushes took {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        foreach (var (status, i) in statuses.Select((s, i) => (s, i)).Where(x => x.s != HttpStatusCode.Created))
        {
            report.Violation($"{packages[i].Id} {packages[i].Version}: {(int)status}");
        }

        await Parallel.ForEachAsync(packages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, ct) =>
        {
            using var download = await host.Client.GetAsync($"/api/v2/package/{p.Id}/{p.Version}", ct);
            report.Request();
            var record = await FeedHttp.FindAsync(host, p.Id, p.Version);
            if (download.StatusCode != HttpStatusCode.OK || !(await download.Content.ReadAsByteArrayAsync(ct)).AsSpan().SequenceEqual(p.Bytes))
            {
                report.Violation($"{p.Id} {p.Version}: not downloadable ({(int)download.StatusCode})");
                report.DataLost++;
            }
            else if (record?.Listed != true)
            {
                report.Violation($"{p.Id} {p.Version}: not listed");
            }
        });

        report.Notes.Add($"downloads took {clock.Elapsed.TotalSeconds:F1} s");
        // Every package was just downloaded and compared; here only that each row's blobs exist.
        var snapshot = await FeedInvariants.ReadAsync(host.Storage, verifyBytes: false);
        Assert.Equal(count, snapshot.Rows.Count);
        Assert.Empty(snapshot.Violations);
        report.AssertClean(output);
    }

    /// <summary>
    /// Unlist and relist of one version race in pairs; after each pair one more request is made alone. The state
    /// after an acknowledged request that ran alone must be that request's. Because every change is ETag-checked,
    /// the committed changes (their events) must also strictly alternate: two unlists in a row would be a lost
    /// update.
    /// </summary>
    [Fact]
    public async Task Racing_unlist_and_relist_end_in_the_state_of_the_last_acknowledged_request()
    {
        var report = new ScenarioReport("concurrency: unlist/relist race");
        await using var host = await FeedAppHost.StartAsync();
        const string path = "/api/v2/package/Contoso.Flip/1.0.0";
        using (var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Flip", "1.0.0").ToBytes()))
        {
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        var random = new Random(8);
        var rounds = Soak.Pick(25, 500);
        async Task<HttpStatusCode> SendAsync(bool relist)
        {
            using var response = await FeedHttp.SendAsync(host, relist ? HttpMethod.Post : HttpMethod.Delete, path, host.ApiKey);
            report.Request();
            var expected = relist ? HttpStatusCode.OK : HttpStatusCode.NoContent;
            if (response.StatusCode != expected)
            {
                report.Violation($"{(relist ? "relist" : "unlist")} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return response.StatusCode;
        }

        for (var round = 0; round < rounds; round++)
        {
            var unlistFirst = random.Next(2) == 0;
            await Task.WhenAll(SendAsync(relist: !unlistFirst), SendAsync(relist: unlistFirst));
            var last = random.Next(2) == 0;
            await SendAsync(last);
            var record = await FeedHttp.FindAsync(host, "Contoso.Flip", "1.0.0");
            if (record?.Listed != last)
            {
                report.Violation($"round {round}: the last acknowledged request was {(last ? "relist" : "unlist")}, the row says Listed={record?.Listed}");
            }
        }

        await InProcessEvents.DrainAsync(host);
        var final = await FeedHttp.FindAsync(host, "Contoso.Flip", "1.0.0");
        var events = await ScenarioReport.AuditAsync(host.Storage, "Contoso.Flip");
        var changes = events.Where(e => e.Type != PackageEventType.Uploaded).Select(e => e.Type).ToList();
        for (var i = 0; i < changes.Count; i++)
        {
            var expected = i % 2 == 0 ? PackageEventType.Unlisted : PackageEventType.Relisted;
            if (changes[i] != expected)
            {
                report.Violation($"event {i} is {changes[i]}, expected {expected}: the changes do not alternate");
                break;
            }
        }

        var lastEventSaysListed = changes.Count == 0 || changes[^1] == PackageEventType.Relisted;
        if (lastEventSaysListed != final!.Listed)
        {
            report.Violation($"the last event ({changes.LastOrDefault()}) disagrees with the final state Listed={final.Listed}");
        }

        report.Notes.Add($"rounds={rounds} state changes (events)={changes.Count} final Listed={final.Listed}");
        report.AssertClean(output);
    }
}
