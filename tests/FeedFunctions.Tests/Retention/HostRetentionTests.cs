using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using FeedAdmin;
using FeedFunctions.Events;
using FeedFunctions.Retention;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Retention;

/// <summary>
/// Retention on the real Functions host: its queue trigger runs the rules after each push, its timer (run through
/// the admin API) the age rule, its sweep finishes what a dead worker left; the real NuGet client restores what is
/// kept. Settings: <see cref="RetentionHost"/>.
/// </summary>
[Collection(RetentionHostCollection.Name)]
public sealed class HostRetentionTests(RetentionHost shared, ITestOutputHelper output)
{
    private FunctionsHost Host => shared.Host;

    /// <summary>Every upload of the id audited (its event was handled) and nothing left in the queue or the outbox.</summary>
    private static async Task SettledAsync(FunctionsHost host, string id, int uploads)
    {
        await Poll.UntilAsync(
            async () => (await RetentionFeed.AuditAsync(host, id)).Count(e => e.Type == PackageEventType.Uploaded), n => n >= uploads, TimeSpan.FromSeconds(90), $"{uploads} uploads of {id} handled");
        await Poll.UntilAsync(
            async () => await host.Storage.EventsQueue.GetApproximateMessageCountAsync()
                        + (await FeedHttp.AllRowsAsync(host)).Count(r => r.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal)),
            n => n == 0,
            TimeSpan.FromSeconds(90),
            "the events queue and the outbox to empty");
    }

    private IReadOnlyList<PackageEvent> Delivered(string id, string type) =>
        shared.Receiver.DeliveredFor(id).Select(d => PackageEventJson.Deserialize(Encoding.UTF8.GetString(d.Body))!).Where(e => e.Type == type).ToList();

    private IConfiguration Cli() => new ConfigurationBuilder().AddInMemoryCollection(
        RetentionHost.Settings(null).Where(s => s.Key.StartsWith("Feed__Retention__", StringComparison.Ordinal))
            .Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value))
            .Append(KeyValuePair.Create("AzureWebJobsStorage", (string?)Host.Azurite.ConnectionString))).Build();

    [HostFact]
    public async Task Two_hundred_CI_pushes_with_three_releases_leave_the_newest_five_prereleases_and_the_releases_within_ten_seconds_and_their_blobs_only()
    {
        const string id = "Contoso.HostRet.Ci";
        var sizes = new Dictionary<string, long>();
        var major = 1;
        var pushClock = Stopwatch.StartNew();
        for (var build = 1; build <= 200; build++)
        {
            if (build is 51 or 101 or 151)
            {
                sizes[$"{major}.0.0"] = (await RetentionFeed.PushAsync(Host, id, $"{major}.0.0")).Length;
                major++;
            }

            sizes[$"{major}.0.0-ci.{build}"] = (await RetentionFeed.PushAsync(Host, id, $"{major}.0.0-ci.{build}")).Length;
        }

        var pushing = pushClock.Elapsed;
        var sinceLastPush = Stopwatch.StartNew();
        string[] kept = ["1.0.0", "2.0.0", "3.0.0", "4.0.0-ci.196", "4.0.0-ci.197", "4.0.0-ci.198", "4.0.0-ci.199", "4.0.0-ci.200"];
        var settled = await Poll.UntilAsync(
            async () => (Versions: await RetentionFeed.VersionsAsync(Host, id), Blobs: await RetentionFeed.BlobsAsync(Host, id)),
            state => state.Versions.Order().SequenceEqual(kept.Order()) && state.Blobs.Count == kept.Length,
            TimeSpan.FromSeconds(10),
            "the newest 5 prereleases and 3 releases, with their blobs only");
        var settledIn = sinceLastPush.Elapsed;

        var rows = await RetentionFeed.RowsAsync(Host, id);
        Assert.Equal(rows.SelectMany(r => r.BlobNames).Order(), settled.Blobs.Keys.Order());
        Assert.Equal(kept.Sum(v => sizes[v]), settled.Blobs.Values.Sum());
        output.WriteLine($"203 pushes in {pushing.TotalSeconds:F1} s; settled {settledIn.TotalSeconds:F1} s after the last push; " +
                         $"pushed {sizes.Count} versions / {sizes.Values.Sum()} bytes, kept {settled.Blobs.Count} blobs / {settled.Blobs.Values.Sum()} bytes");

        // Removed versions: 404 in the flat container, gone from its index, registration and search.
        using (var removed = await Host.Client.GetAsync("/v3/flatcontainer/contoso.hostret.ci/4.0.0-ci.195/contoso.hostret.ci.4.0.0-ci.195.nupkg"))
        {
            Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
        }

        using (var removedFirst = await Host.Client.GetAsync("/v3/flatcontainer/contoso.hostret.ci/1.0.0-ci.1/contoso.hostret.ci.1.0.0-ci.1.nupkg"))
        {
            Assert.Equal(HttpStatusCode.NotFound, removedFirst.StatusCode);
        }

        var lower = kept.Select(v => v.ToLowerInvariant()).ToArray();
        using var index = JsonDocument.Parse(await Host.Client.GetStringAsync("/v3/flatcontainer/contoso.hostret.ci/index.json"));
        Assert.Equal(lower.Order(), index.RootElement.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).Order());
        using var registration = JsonDocument.Parse(await Host.Client.GetStringAsync("/v3/registration/contoso.hostret.ci/index.json"));
        var registered = registration.RootElement.GetProperty("items").EnumerateArray()
            .SelectMany(page => page.GetProperty("items").EnumerateArray()).Select(leaf => leaf.GetProperty("catalogEntry").GetProperty("version").GetString()!);
        Assert.Equal(kept.Order(), registered.Order());
        using var search = JsonDocument.Parse(await Host.Client.GetStringAsync("/v3/search?q=id:Contoso.HostRet.Ci&prerelease=true&semVerLevel=2.0.0"));
        var found = search.RootElement.GetProperty("data").EnumerateArray().Single().GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()!);
        Assert.Equal(kept.Order(), found.Order());

        // Every removal's event went out, saying it was retention and which rule, naming the blobs it removed.
        var deleted = await Poll.UntilAsync(
            () => Task.FromResult(Delivered(id, PackageEventType.Deleted)), d => d.Select(e => e.Version).Distinct().Count() >= 195, TimeSpan.FromSeconds(60), "195 deleted events");
        Assert.Equal(195, deleted.Select(e => e.Version).Distinct().Count());
        Assert.All(deleted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.MaxPrereleaseVersionsPerId), e.Reason));
        Assert.All(deleted, e => Assert.Contains(e.Blobs!, b => b.EndsWith(".nupkg", StringComparison.Ordinal)));

        // The real client restores every kept version, and a project whose version was removed gets its successor.
        using var cli = new NuGetCli(Host.BaseUrl + "/v3/index.json");
        foreach (var version in kept)
        {
            var project = ClientProject.Create(cli, $"""<PackageReference Include="{id}" Version="[{version}]" />""");
            var restore = await project.RunAsync("restore");
            Assert.True(restore.ExitCode == 0, restore.ToString());
            Assert.Contains($"\"{id}/{version}\"", project.ReadAssets());
        }

        var successor = ClientProject.Create(cli, $"""<PackageReference Include="{id}" Version="4.0.0-ci.190" />""");
        var successorRestore = await successor.RunAsync("restore");
        Assert.True(successorRestore.ExitCode == 0, successorRestore.ToString());
        Assert.Contains($"\"{id}/4.0.0-ci.196\"", successor.ReadAssets());
    }

    [HostFact]
    public async Task Concurrent_pushes_of_one_id_while_the_host_runs_retention_leave_the_newest_five_and_nothing_half_visible()
    {
        const string id = "Contoso.HostRet.Busy";
        await Parallel.ForEachAsync(Enumerable.Range(1, 60), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (build, _) =>
            await RetentionFeed.PushAsync(Host, id, $"1.0.0-ci.{build}"));
        await SettledAsync(Host, id, 60);

        Assert.Equal(Enumerable.Range(56, 5).Select(b => $"1.0.0-ci.{b}").Order(), (await RetentionFeed.VersionsAsync(Host, id)).Order());
        var snapshot = await FeedInvariants.ReadAsync(Host.Storage);
        Assert.Empty(snapshot.Violations);
        Assert.Equal(5, (await RetentionFeed.BlobsAsync(Host, id)).Count);
        Assert.Equal(55, (await RetentionFeed.AuditAsync(Host, id)).Count(e => e.Type == PackageEventType.Deleted));
    }

    [HostFact]
    public async Task The_daily_timer_applies_the_age_rule_to_every_id_but_exempt_ones_and_uploads_of_exempt_ids_remove_nothing()
    {
        string[] versions = ["1.0.0-beta.1", "1.0.0-rc.1", "1.0.0", "2.0.0-alpha.1"];
        foreach (var id in new[] { "Contoso.HostRet.Age", "Contoso.HostRet.ExemptAge" })
        {
            foreach (var version in versions)
            {
                await RetentionFeed.PushAsync(Host, id, version);
            }
        }

        for (var build = 1; build <= 7; build++)
        {
            await RetentionFeed.PushAsync(Host, "Contoso.HostRet.ExemptCi", $"1.0.0-ci.{build}");
        }

        await SettledAsync(Host, "Contoso.HostRet.ExemptCi", 7);
        await SettledAsync(Host, "Contoso.HostRet.Age", 4);
        foreach (var id in new[] { "Contoso.HostRet.Age", "Contoso.HostRet.ExemptAge" })
        {
            foreach (var version in versions)
            {
                await RetentionFeed.AgeAsync(Host, id, version, TimeSpan.FromDays(2));
            }
        }

        var beforeTimer = await RetentionFeed.VersionsAsync(Host, "Contoso.HostRet.Age");
        await RetentionHost.RunFunctionAsync(Host, nameof(RetentionFunctions.ApplyRetention));
        var after = await Poll.UntilAsync(
            () => RetentionFeed.VersionsAsync(Host, "Contoso.HostRet.Age"), v => v.Count == 2, TimeSpan.FromSeconds(60), "the timer's removals");

        Assert.Equal(4, beforeTimer.Count);
        Assert.Equal(["1.0.0", "2.0.0-alpha.1"], after.Order());
        Assert.Equal(4, (await RetentionFeed.VersionsAsync(Host, "Contoso.HostRet.ExemptAge")).Count);
        Assert.Equal(7, (await RetentionFeed.VersionsAsync(Host, "Contoso.HostRet.ExemptCi")).Count);
        var deleted = await Poll.UntilAsync(
            () => Task.FromResult(Delivered("Contoso.HostRet.Age", PackageEventType.Deleted)), d => d.Count >= 2, TimeSpan.FromSeconds(60), "2 deleted events");
        Assert.Equal(["1.0.0-beta.1", "1.0.0-rc.1"], deleted.Select(e => e.Version).Distinct().Order());
        Assert.All(deleted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.PrereleaseMaxAge), e.Reason));
    }

    [HostFact]
    public async Task A_pinned_version_stays_until_unpinned_and_preview_shows_it_once_unpinned()
    {
        const string id = "Contoso.HostRet.Pin";
        await RetentionFeed.PushAsync(Host, id, "1.0.0-ci.1");
        var pin = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "pin", id, "1.0.0-ci.1"], pin, Cli()));
        for (var build = 2; build <= 7; build++)
        {
            await RetentionFeed.PushAsync(Host, id, $"1.0.0-ci.{build}");
        }

        await SettledAsync(Host, id, 7);
        var whilePinned = await RetentionFeed.VersionsAsync(Host, id);
        var pinnedPreview = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "preview", "--id", id], pinnedPreview, Cli()));
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "unpin", id, "1.0.0-ci.1"], new StringWriter(), Cli()));
        var preview = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "preview", "--id", id], preview, Cli()));
        var afterPreview = await RetentionFeed.VersionsAsync(Host, id);
        await RetentionFeed.PushAsync(Host, id, "1.0.0-ci.8");
        await SettledAsync(Host, id, 8);

        Assert.Equal(["1.0.0-ci.1", "1.0.0-ci.3", "1.0.0-ci.4", "1.0.0-ci.5", "1.0.0-ci.6", "1.0.0-ci.7"], whilePinned.Order());
        Assert.Contains("0 version(s) of 0 id(s) would be deleted", pinnedPreview.ToString());
        Assert.Contains($"delete {id} 1.0.0-ci.1 MaxPrereleaseVersionsPerId", preview.ToString());
        Assert.Contains("1 version(s) of 1 id(s) would be deleted", preview.ToString());
        Assert.Equal(whilePinned.Order(), afterPreview.Order());
        Assert.Equal(Enumerable.Range(4, 5).Select(b => $"1.0.0-ci.{b}").Order(), (await RetentionFeed.VersionsAsync(Host, id)).Order());
    }

    [HostFact]
    public async Task A_worker_that_died_between_the_row_and_the_blobs_leaves_nothing_visible_and_the_host_finishes_the_delete()
    {
        const string id = "Contoso.HostRet.Crash";
        await RetentionFeed.PushAsync(Host, id, "1.0.0");
        await SettledAsync(Host, id, 1);
        var row = (await FeedHttp.FindAsync(Host, id, "1.0.0"))!;
        Assert.NotEmpty(await RetentionFeed.BlobsAsync(Host, id));

        // What a worker leaves when it dies right after retention's delete committed: row gone, pending event, all blobs.
        var orphan = PackageEvent.Create(PackageEventType.Deleted, id, "1.0.0", row.Size, row.Sha512, null, DateTimeOffset.UtcNow) with
        {
            Reason = PackageEventReason.Retention(RetentionRules.MaxStableVersionsPerMajor),
            Blobs = [.. row.BlobNames, $"contoso.hostret.crash/1.0.0/symbols/contoso.hostret.crash.1.0.0.snupkg"],
        };
        var outbox = new PackageEventOutbox(Host.Storage, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PackageEventOutbox>.Instance);
        await Host.Storage.PackagesTable.SubmitTransactionAsync(
            [new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("contoso.hostret.crash", "1.0.0"), row.ETag!.Value), outbox.PendingRow("contoso.hostret.crash", orphan)]);
        using var flat = await Host.Client.GetAsync("/v3/flatcontainer/contoso.hostret.crash/1.0.0/contoso.hostret.crash.1.0.0.nupkg");

        var blobs = await Poll.UntilAsync(() => RetentionFeed.BlobsAsync(Host, id), b => b.Count == 0, TimeSpan.FromSeconds(60), "the orphaned blobs to be deleted");
        var delivered = await Poll.UntilAsync(() => Task.FromResult(Delivered(id, PackageEventType.Deleted)), d => d.Count >= 1, TimeSpan.FromSeconds(30), "the deleted event");

        Assert.Equal(HttpStatusCode.NotFound, flat.StatusCode);
        Assert.Empty(blobs);
        Assert.Equal(orphan.EventId, Assert.Single(delivered).EventId);
    }

    /// <summary>A host of its own: the minute is the real default, and the action is Unlist.</summary>
    [HostFact]
    public async Task On_a_host_with_the_default_minute_versions_younger_than_a_minute_stay_and_Unlist_unlists_the_older_ones()
    {
        const string id = "Contoso.HostRet.Minute";
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["Feed__Retention__MaxPrereleaseVersionsPerId"] = "1",
            ["Feed__Retention__Action"] = "Unlist",
            ["Feed__Events__SweepSchedule"] = "*/2 * * * * *",
            ["Feed__Events__SweepAge"] = "00:00:01",
        });
        for (var build = 1; build <= 3; build++)
        {
            await RetentionFeed.PushAsync(host, id, $"1.0.0-ci.{build}");
        }

        await SettledAsync(host, id, 3);
        var young = (await RetentionFeed.RowsAsync(host, id)).Count(r => r.Listed);
        await RetentionFeed.AgeAsync(host, id, "1.0.0-ci.1", TimeSpan.FromMinutes(2));
        await RetentionFeed.AgeAsync(host, id, "1.0.0-ci.2", TimeSpan.FromMinutes(2));
        await RetentionFeed.PushAsync(host, id, "1.0.0-ci.4");
        await SettledAsync(host, id, 4);

        Assert.Equal(3, young);
        var listed = (await RetentionFeed.RowsAsync(host, id)).ToDictionary(r => r.Version, r => r.Listed);
        Assert.Equal(new Dictionary<string, bool> { ["1.0.0-ci.1"] = false, ["1.0.0-ci.2"] = false, ["1.0.0-ci.3"] = true, ["1.0.0-ci.4"] = true }, listed);
        var unlisted = (await RetentionFeed.AuditAsync(host, id)).Where(e => e.Type == PackageEventType.Unlisted).ToList();
        Assert.Equal(["1.0.0-ci.1", "1.0.0-ci.2"], unlisted.Select(e => e.Version).Order());
        Assert.All(unlisted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.MaxPrereleaseVersionsPerId), e.Reason));
        using var restore = await host.Client.GetAsync("/v3/flatcontainer/contoso.hostret.minute/1.0.0-ci.1/contoso.hostret.minute.1.0.0-ci.1.nupkg");
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
    }
}
