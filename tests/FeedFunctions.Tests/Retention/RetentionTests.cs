using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedAdmin;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using FeedFunctions.Retention;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Retention;

/// <summary>
/// Retention in process, with a clock the test moves (<see cref="ManualTimeProvider"/>) and the event functions
/// called as the host's triggers would (<see cref="InProcessEvents"/>). The same on the real host: <see cref="HostRetentionTests"/>.
/// </summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan PastMinimumAge = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_upload_removes_what_MaxPrereleaseVersionsPerId_allows_no_more_of_with_its_blobs_and_a_deleted_event_naming_the_rule()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "3" });
        await using var _ = host;
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Pre", "1.0.0");
        for (var build = 1; build <= 6; build++)
        {
            await RetentionFeed.PushAsync(host, "Contoso.Ret.Pre", $"1.1.0-ci.{build}");
        }

        var blobsBefore = await RetentionFeed.BlobsAsync(host, "Contoso.Ret.Pre");
        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Pre", "1.1.0-ci.7");
        await RetentionFeed.SettleAsync(host);

        var rows = await RetentionFeed.RowsAsync(host, "Contoso.Ret.Pre");
        Assert.Equal(["1.0.0", "1.1.0-ci.5", "1.1.0-ci.6", "1.1.0-ci.7"], rows.Select(r => r.Version).Order());
        var blobs = await RetentionFeed.BlobsAsync(host, "Contoso.Ret.Pre");
        Assert.Equal(rows.SelectMany(r => r.BlobNames).Order(), blobs.Keys.Order());
        Assert.Equal(blobsBefore.Count - 4 + 1, blobs.Count);
        var deleted = (await RetentionFeed.AuditAsync(host, "Contoso.Ret.Pre")).Where(e => e.Type == PackageEventType.Deleted).ToList();
        Assert.Equal(["1.1.0-ci.1", "1.1.0-ci.2", "1.1.0-ci.3", "1.1.0-ci.4"], deleted.Select(e => e.Version).Order());
        Assert.All(deleted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.MaxPrereleaseVersionsPerId), e.Reason));
        Assert.All(deleted, e => Assert.Null(e.KeyName));
        using var flat = await host.Client.GetAsync("/v3/flatcontainer/contoso.ret.pre/1.1.0-ci.1/contoso.ret.pre.1.1.0-ci.1.nupkg");
        Assert.Equal(HttpStatusCode.NotFound, flat.StatusCode);
    }

    [Fact]
    public async Task Versions_pushed_less_than_a_minute_ago_stay_until_a_later_run_finds_them_older()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "1" });
        await using var _ = host;
        for (var build = 1; build <= 5; build++)
        {
            await RetentionFeed.PushAsync(host, "Contoso.Ret.Young", $"1.0.0-ci.{build}");
        }

        await RetentionFeed.SettleAsync(host);
        var young = await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Young");
        // The test clock runs with the real one (plus what the test adds), so the steps leave 15 s for this run's own time.
        clock.Advance(TimeSpan.FromSeconds(45));
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Young", "1.0.0-ci.6");
        await RetentionFeed.SettleAsync(host);
        var stillYoung = await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Young");
        clock.Advance(TimeSpan.FromSeconds(16));
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Young", "1.0.0-ci.7");
        await RetentionFeed.SettleAsync(host);

        Assert.Equal(5, young.Count);
        Assert.Equal(6, stillYoung.Count);

        // ci.1-ci.5 are now over a minute old and go; ci.6, some 16 s old, stays beyond the limit of 1 beside ci.7 (the newest).
        Assert.Equal(["1.0.0-ci.6", "1.0.0-ci.7"], (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Young")).Order());
    }

    [Fact]
    public async Task MaxStableVersionsPerMajor_keeps_the_newest_stable_versions_of_each_major()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxStableVersionsPerMajor"] = "2" });
        await using var _ = host;
        foreach (var version in new[] { "1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "2.2.0-beta.1" })
        {
            await RetentionFeed.PushAsync(host, "Contoso.Ret.Stable", version);
        }

        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Stable", "2.2.0");
        await RetentionFeed.SettleAsync(host);

        Assert.Equal(["1.1.0", "1.2.0", "2.1.0", "2.2.0", "2.2.0-beta.1"], (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Stable")).Order());
        var deleted = (await RetentionFeed.AuditAsync(host, "Contoso.Ret.Stable")).Where(e => e.Type == PackageEventType.Deleted).ToList();
        Assert.Equal(["1.0.0", "2.0.0"], deleted.Select(e => e.Version).Order());
        Assert.All(deleted, e => Assert.Equal(RetentionRules.MaxStableVersionsPerMajor, e.Reason!.Rule));
    }

    [Fact]
    public async Task The_daily_timer_removes_prereleases_older_than_PrereleaseMaxAge_below_a_stable_version_across_ids()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["PrereleaseMaxAge"] = "7.00:00:00", ["Exempt"] = "Contoso.Ret.Kept*" });
        await using var _ = host;
        foreach (var id in new[] { "Contoso.Ret.AgeA", "Contoso.Ret.AgeB", "Contoso.Ret.Kept" })
        {
            foreach (var version in new[] { "1.0.0-beta.1", "1.0.0-rc.1", "1.0.0", "2.0.0-alpha.1" })
            {
                await RetentionFeed.PushAsync(host, id, version);
            }
        }

        await RetentionFeed.SettleAsync(host);
        var functions = ActivatorUtilities.CreateInstance<RetentionFunctions>(host.Services);
        await functions.ApplyRetention(new TimerInfo(), CancellationToken.None);
        var beforeAge = await RetentionFeed.VersionsAsync(host, "Contoso.Ret.AgeA");
        clock.Advance(TimeSpan.FromDays(7.5));
        await functions.ApplyRetention(new TimerInfo(), CancellationToken.None);
        await RetentionFeed.SettleAsync(host);

        Assert.Equal(4, beforeAge.Count);
        Assert.Equal(["1.0.0", "2.0.0-alpha.1"], (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.AgeA")).Order());
        Assert.Equal(["1.0.0", "2.0.0-alpha.1"], (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.AgeB")).Order());
        Assert.Equal(4, (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Kept")).Count);
        var deleted = (await RetentionFeed.AuditAsync(host, "Contoso.Ret.AgeA")).Where(e => e.Type == PackageEventType.Deleted).ToList();
        Assert.All(deleted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.PrereleaseMaxAge), e.Reason));
    }

    [Fact]
    public async Task Exempt_ids_are_never_touched()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "1", ["Exempt"] = "Contoso.Ret.Tool*;Other.Thing" });
        await using var _ = host;
        foreach (var id in new[] { "Contoso.Ret.Tools", "Contoso.Ret.Lib" })
        {
            for (var build = 1; build <= 3; build++)
            {
                await RetentionFeed.PushAsync(host, id, $"1.0.0-ci.{build}");
            }
        }

        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Tools", "1.0.0-ci.4");
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Lib", "1.0.0-ci.4");
        await RetentionFeed.SettleAsync(host);

        Assert.Equal(4, (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Tools")).Count);
        Assert.Equal(["1.0.0-ci.4"], await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Lib"));
    }

    [Fact]
    public async Task Action_Unlist_unlists_instead_with_an_unlisted_event_and_keeps_the_bytes()
    {
        var (host, clock) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "1", ["Action"] = "Unlist" });
        await using var _ = host;
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Unlist", "1.0.0-ci.1");
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Unlist", "1.0.0-ci.2");
        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Unlist", "1.0.0-ci.3");
        await RetentionFeed.SettleAsync(host);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Unlist", "1.0.0-ci.4");
        await RetentionFeed.SettleAsync(host);

        var rows = (await RetentionFeed.RowsAsync(host, "Contoso.Ret.Unlist")).ToDictionary(r => r.Version, r => r.Listed);
        Assert.Equal(new Dictionary<string, bool> { ["1.0.0-ci.1"] = false, ["1.0.0-ci.2"] = false, ["1.0.0-ci.3"] = true, ["1.0.0-ci.4"] = true }, rows);
        var unlisted = (await RetentionFeed.AuditAsync(host, "Contoso.Ret.Unlist")).Where(e => e.Type == PackageEventType.Unlisted).ToList();
        Assert.Equal(["1.0.0-ci.1", "1.0.0-ci.2"], unlisted.Select(e => e.Version).Order());
        Assert.All(unlisted, e => Assert.Equal(PackageEventReason.Retention(RetentionRules.MaxPrereleaseVersionsPerId), e.Reason));
        using var flat = await host.Client.GetAsync("/v3/flatcontainer/contoso.ret.unlist/1.0.0-ci.1/contoso.ret.unlist.1.0.0-ci.1.nupkg");
        Assert.Equal(HttpStatusCode.OK, flat.StatusCode);
    }

    [Fact]
    public async Task Pinned_versions_stay_until_unpinned_and_preview_lists_what_would_go_with_the_rule_changing_nothing()
    {
        var settings = new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "1" };
        var (host, clock) = await RetentionFeed.StartAsync(settings);
        await using var _ = host;
        var cli = RetentionFeed.CliConfiguration(host, settings);
        for (var build = 1; build <= 3; build++)
        {
            await RetentionFeed.PushAsync(host, "Contoso.Ret.Pin", $"1.0.0-ci.{build}");
        }

        await RetentionFeed.PushAsync(host, "Contoso.Ret.Other", "1.0.0-ci.1");
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Other", "1.0.0-ci.2");
        var pinned = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "pin", "contoso.ret.pin", "1.0.0-CI.1"], pinned, cli));
        var listed = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "pins"], listed, cli));
        await RetentionFeed.SettleAsync(host);

        // The CLI runs on the real clock, where the pushes are seconds old: its preview is asked without the minimum age.
        clock.Advance(PastMinimumAge);
        var preview = new StringWriter();
        var previewConfiguration = RetentionFeed.CliConfiguration(host, new Dictionary<string, string>(settings) { ["MinimumAge"] = "00:00:00" });
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "preview"], preview, previewConfiguration));
        var previewOne = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "preview", "--id", "Contoso.Ret.Other"], previewOne, previewConfiguration));
        var afterPreview = await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Pin");
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Pin", "1.0.0-ci.4");
        await RetentionFeed.SettleAsync(host);
        var whilePinned = await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Pin");
        var unpinned = new StringWriter();
        Assert.Equal(0, await AdminCommand.RunAsync(["retention", "unpin", "Contoso.Ret.Pin", "1.0.0-ci.1"], unpinned, cli));
        Assert.Equal(1, await AdminCommand.RunAsync(["retention", "unpin", "Contoso.Ret.Pin", "1.0.0-ci.1"], new StringWriter(), cli));
        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Pin", "1.0.0-ci.5");
        await RetentionFeed.SettleAsync(host);

        Assert.Contains("Pinned contoso.ret.pin 1.0.0-CI.1", pinned.ToString());
        Assert.Contains("contoso.ret.pin 1.0.0-CI.1 pinned", listed.ToString());
        var lines = preview.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("delete Contoso.Ret.Pin 1.0.0-ci.2 MaxPrereleaseVersionsPerId ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("delete Contoso.Ret.Other 1.0.0-ci.1 MaxPrereleaseVersionsPerId ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("1.0.0-ci.1 ", StringComparison.Ordinal) && l.Contains("Contoso.Ret.Pin", StringComparison.Ordinal));
        Assert.Contains("2 version(s) of 2 id(s) would be deleted", preview.ToString());
        Assert.DoesNotContain("Contoso.Ret.Pin", previewOne.ToString());
        Assert.Equal(3, afterPreview.Count);
        Assert.Equal(["1.0.0-ci.1", "1.0.0-ci.4"], whilePinned.Order());
        Assert.Equal(["1.0.0-ci.5"], await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Pin"));
    }

    [Fact]
    public async Task A_delete_cut_off_between_its_row_and_its_blobs_is_finished_by_the_deleted_events_handler_and_nothing_is_half_visible()
    {
        var fault = new StorageFaultPolicy();
        var (host, clock) = await RetentionFeed.StartAsync(
            new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "1" },
            s => s.AddSingleton<HttpPipelinePolicy>(fault),
            new Dictionary<string, string?> { ["Feed:Storage:Retry:Delay"] = "00:00:00.010", ["Feed:Storage:Retry:MaxDelay"] = "00:00:00.050" });
        await using var _ = host;
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Crash", "1.0.0-ci.1");
        clock.Advance(PastMinimumAge);
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Crash", "1.0.0-ci.2");
        await FeedHttp.WaitForOutboxAsync(host);
        var doomed = (await FeedHttp.FindAsync(host, "Contoso.Ret.Crash", "1.0.0-ci.1"))!;
        var packagesPath = $"/{host.Storage.Packages.Name}/";
        var eventsPath = $"/{host.Storage.EventsQueue.Name}/messages";

        // What a process that died right after the row's transaction leaves: no blob deleted, no event sent.
        fault.Arm(
            m => (m.Request.Method == RequestMethod.Delete && m.Request.Uri.Path.Contains(packagesPath, StringComparison.Ordinal))
                 || (m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith(eventsPath, StringComparison.Ordinal)),
            StorageFault.DropBeforeSend);
        await InProcessEvents.DrainAsync(host);
        fault.Disarm();
        var rowAfterCrash = await FeedHttp.FindAsync(host, "Contoso.Ret.Crash", "1.0.0-ci.1");
        var blobsAfterCrash = await RetentionFeed.BlobsAsync(host, "Contoso.Ret.Crash");
        using var flatAfterCrash = await host.Client.GetAsync("/v3/flatcontainer/contoso.ret.crash/index.json");
        var versionsAfterCrash = await flatAfterCrash.Content.ReadAsStringAsync();
        var pending = (await FeedHttp.AllRowsAsync(host)).Where(r => r.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal)).ToList();

        await InProcessEvents.SweepAsync(host);
        await InProcessEvents.DrainAsync(host);

        Assert.True(fault.Injected > 0);
        Assert.Null(rowAfterCrash);
        Assert.Contains(doomed.BlobName, blobsAfterCrash.Keys);
        Assert.DoesNotContain("1.0.0-ci.1", versionsAfterCrash);
        var pendingEvent = PackageEventJson.Deserialize(Assert.Single(pending).GetString("Payload"))!;
        Assert.Equal((PackageEventType.Deleted, "1.0.0-ci.1", RetentionRules.MaxPrereleaseVersionsPerId), (pendingEvent.Type, pendingEvent.Version, pendingEvent.Reason!.Rule));
        Assert.Contains(doomed.BlobName, pendingEvent.Blobs!);
        var blobs = await RetentionFeed.BlobsAsync(host, "Contoso.Ret.Crash");
        Assert.Equal((await FeedHttp.FindAsync(host, "Contoso.Ret.Crash", "1.0.0-ci.2"))!.BlobNames.Order(), blobs.Keys.Order());
        var snapshot = await FeedInvariants.ReadAsync(host.Storage);
        Assert.Empty(snapshot.Violations);
        Assert.Equal((0, 0), (snapshot.PendingEvents, snapshot.UnreferencedBlobs));
    }

    [Fact]
    public async Task Concurrent_pushes_of_one_id_while_retention_runs_end_with_the_newest_versions_and_no_stray_blob()
    {
        var (host, _) = await RetentionFeed.StartAsync(new Dictionary<string, string> { ["MaxPrereleaseVersionsPerId"] = "4", ["MinimumAge"] = "00:00:00" });
        await using var feed = host;
        using var stop = new CancellationTokenSource();
        var drainer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await InProcessEvents.DrainAsync(host);
            }
        });
        await Parallel.ForEachAsync(Enumerable.Range(1, 40), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (build, _) =>
            await RetentionFeed.PushAsync(host, "Contoso.Ret.Busy", $"1.0.0-ci.{build}"));
        await stop.CancelAsync();
        await drainer;
        await RetentionFeed.SettleAsync(host);

        // The newest push's event may have been handled before an older, slower push committed: one more upload settles it.
        await RetentionFeed.PushAsync(host, "Contoso.Ret.Busy", "1.0.0-ci.41");
        await RetentionFeed.SettleAsync(host);
        Assert.Equal(["1.0.0-ci.38", "1.0.0-ci.39", "1.0.0-ci.40", "1.0.0-ci.41"], (await RetentionFeed.VersionsAsync(host, "Contoso.Ret.Busy")).Order());
        var snapshot = await FeedInvariants.ReadAsync(host.Storage);
        Assert.Empty(snapshot.Violations);
        Assert.Equal((0, 0), (snapshot.PendingEvents, snapshot.UnreferencedBlobs));
        var deleted = (await RetentionFeed.AuditAsync(host, "Contoso.Ret.Busy")).Where(e => e.Type == PackageEventType.Deleted).ToList();
        Assert.Equal(37, deleted.Select(e => e.Version).Distinct().Count());
    }

    [Fact]
    public async Task A_bad_retention_setting_stops_start_up_with_its_reason()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RetentionFeed.StartAsync(new Dictionary<string, string> { ["PrereleaseMaxAge"] = "a month" }));

        Assert.Contains("Feed:Retention:PrereleaseMaxAge (Feed__Retention__PrereleaseMaxAge) is invalid: 'a month'", error.Message, StringComparison.Ordinal);
    }
}
