using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Search;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedFunctions.Tests.Search;

/// <summary>
/// The search index in process: what search reads (the index, not the Packages table), how the handler converges
/// under redelivered, out-of-order and concurrent events, the build of an existing feed, and the bounds of an entry.
/// The same behaviours through the Functions host: OnHost/HostSearchIndexTests.
/// </summary>
public sealed class SearchIndexTests
{
    [Fact]
    public async Task Search_autocomplete_and_the_home_page_read_the_index_and_not_the_packages_table()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));
        for (var i = 0; i < 30; i++)
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Reads", $"1.0.{i}"));
        }

        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Reads");
        foreach (var path in new[] { "/v3/search?q=reads", "/v3/search", "/v3/autocomplete?q=contoso", "/", "/packages?q=reads" })
        {
            recording.Requests.Clear();
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var requests = recording.Requests.ToList();
            Assert.DoesNotContain(requests, r => r.Contains(host.Storage.PackagesTable.Name, StringComparison.Ordinal));

            // In process the copy refreshes on every read: one query for the rows changed since the last one.
            Assert.Single(requests, r => r.Contains(host.Storage.SearchIndexTable.Name + "()", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Unlist_relist_hard_delete_and_overwrite_keep_search_right()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?>
        {
            ["Feed:DeleteMode"] = "HardDelete",
            ["Feed:AllowOverwrite"] = "True",
        });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Life", "1.0.0").WithDescription("first"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Life", "2.0.0").WithDescription("second"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Life", "3.0.0-beta").WithDescription("preview"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Life");
        Assert.Equal(["1.0.0", "2.0.0"], await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Life", "take=10"));

        // Overwrite: the latest's fields change in place.
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Life", "2.0.0").WithDescription("second, overwritten"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Life");
        var overwritten = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=overwritten");
        Assert.Equal("2.0.0", SearchIndexWait.Hit(overwritten, "Contoso.Life")!["version"]!.GetValue<string>());

        // Hard delete of the latest: the previous one is the latest again.
        using (var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Life/2.0.0", host.ApiKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Life");
        Assert.Equal(["1.0.0"], await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Life", "take=10"));
        Assert.Empty((await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=overwritten"))["data"]!.AsArray());

        // Every version gone: the id leaves search (its entry stays, as a tombstone), and comes back with a push.
        foreach (var version in new[] { "1.0.0", "3.0.0-beta" })
        {
            using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, $"/api/v2/package/Contoso.Life/{version}", host.ApiKey);
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Life");
        Assert.Empty(await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Life", "prerelease=true"));
        Assert.Empty(ReadSideHttp.Strings((await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?q=contoso.life"))["data"]));
        var tombstone = await host.Storage.SearchIndexTable.GetEntityAsync<TableEntity>(SearchIndexCodec.Partition, "contoso.life");
        Assert.False(tombstone.Value.GetBoolean("Visible"));
    }

    [Fact]
    public async Task Unlist_and_relist_move_the_latest_version()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Toggle", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Toggle", "1.1.0"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Toggle", "1.1.0");
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Toggle");
        Assert.Equal(["1.0.0"], await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Toggle", "take=10"));

        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Toggle/1.1.0", host.ApiKey);
        Assert.Equal(HttpStatusCode.OK, relist.StatusCode);
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Toggle");
        Assert.Equal(["1.0.0", "1.1.0"], await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Toggle", "take=10"));
    }

    [Fact]
    public async Task A_redelivered_or_late_event_converges_on_the_ids_current_state()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Late", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Late", "2.0.0"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Late", "2.0.0");
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Late");

        // The upload of 2.0.0 delivered again, after its unlist (and an unlist of a version that never existed).
        var stale = PackageEvent.Create(PackageEventType.Uploaded, "Contoso.Late", "2.0.0", 1, "x", "key", DateTimeOffset.UtcNow.AddMinutes(-5));
        await host.Storage.EventsQueue.SendMessageAsync(PackageEventJson.Serialize(stale));
        await host.Storage.EventsQueue.SendMessageAsync(PackageEventJson.Serialize(stale));
        await host.Storage.EventsQueue.SendMessageAsync(PackageEventJson.Serialize(
            PackageEvent.Create(PackageEventType.Unlisted, "Contoso.Late", "9.0.0", null, null, null, DateTimeOffset.UtcNow)));
        Assert.Equal(3, await InProcessEvents.DrainAsync(host));

        Assert.Equal(["1.0.0"], await SearchIndexWait.SearchedVersionsAsync(host, "Contoso.Late", "take=10"));
        Assert.True(await SearchIndexWait.SearchShowsTruthAsync(host, "Contoso.Late"));
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_id_during_changes_lose_no_update()
    {
        await using var host = await FeedAppHost.StartAsync();
        var writer = host.Services.GetRequiredService<SearchIndexWriter>();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Race", "1.0.0"));

        // Four instances' writers (each its own, so only the ETags keep them apart) refresh the entry again and again
        // while versions are pushed and unlisted: each push is a change only some of the refreshes see; the last
        // write must still be the final state. A refresh that keeps losing fails, as an event would, and is tried
        // again, as the queue would.
        var instances = Enumerable.Range(0, 4).Select(_ => new SearchIndexWriter(host.Storage, NullLogger<SearchIndexWriter>.Instance)).ToList();
        async Task RefreshAsTheQueueWouldAsync(SearchIndexWriter instance)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await instance.RefreshAsync("Contoso.Race", CancellationToken.None);
                    return;
                }
                catch (InvalidOperationException) when (attempt < 5)
                {
                }
            }
        }

        using var stop = new CancellationTokenSource();
        var refreshers = instances.Select(instance => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await RefreshAsTheQueueWouldAsync(instance);
            }
        })).ToList();
        for (var i = 1; i <= 6; i++)
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Race", $"1.{i}.0"));
            if (i % 2 == 0)
            {
                await ReadSideHttp.UnlistAsync(host, "Contoso.Race", $"1.{i}.0");
            }

            // The change's own event: run as the trigger would, concurrently with the refreshers.
            await RefreshAsTheQueueWouldAsync(writer);
        }

        stop.Cancel();
        await Task.WhenAll(refreshers);

        var stored = SearchIndexCodec.FromEntity((await host.Storage.SearchIndexTable.GetEntityAsync<TableEntity>(SearchIndexCodec.Partition, "contoso.race")).Value)!;
        Assert.Equal(["1.0.0", "1.1.0", "1.3.0", "1.5.0"], stored.Versions.Select(v => v.Version));
        Assert.Equal("1.5.0", stored.LatestFor(0)!.Version);
    }

    [Fact]
    public async Task A_burst_of_events_for_one_id_on_one_instance_costs_at_most_two_refreshes()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));

        // The build at start-up (of an empty feed) must not be the one that writes this id.
        var builder = host.Services.GetRequiredService<SearchIndexBuilder>();
        await Poll.UntilAsync(() => builder.IsCompleteAsync(CancellationToken.None), complete => complete, what: "the build at start-up");
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Burst", "1.0.0"));
        var writer = host.Services.GetRequiredService<SearchIndexWriter>();
        recording.Requests.Clear();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => writer.RefreshAsync("Contoso.Burst", CancellationToken.None)));

        var writes = recording.Requests.Where(r => (r.StartsWith("POST ", StringComparison.Ordinal) || r.StartsWith("PUT ", StringComparison.Ordinal))
            && r.Contains(host.Storage.SearchIndexTable.Name, StringComparison.Ordinal)).ToList();
        Assert.True(writes.Count is >= 1 and <= 2, string.Join("\n", writes));
        Assert.True(await SearchIndexWait.SearchShowsTruthAsync(host, "Contoso.Burst"));
    }

    [Fact]
    public async Task An_existing_feed_is_indexed_by_the_build_which_resumes_where_it_stopped()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Search:BuildOnStart"] = "false" });
        foreach (var id in new[] { "Contoso.Old.A", "Contoso.Old.B", "Contoso.Old.C" })
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create(id, "1.0.0"));
        }

        // No event ran and no build: the index is incomplete, so search scans and is right all the same.
        Assert.False(await host.Services.GetRequiredService<SearchIndexBuilder>().IsCompleteAsync(CancellationToken.None));
        Assert.Equal(3, (await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=contoso.old"))["totalHits"]!.GetValue<int>());

        // A build that stopped after A (its marker says so) resumes with B.
        await host.Storage.SearchIndexTable.UpsertEntityAsync(new TableEntity(SearchIndexBuilder.MetaPartition, SearchIndexBuilder.BuildRow)
        {
            ["Complete"] = false,
            ["Cursor"] = "contoso.old.a",
        });
        var done = new List<string>();
        var result = await host.Services.GetRequiredService<SearchIndexBuilder>().RunAsync(restart: false, done.Add, CancellationToken.None);

        Assert.True(result.Completed);
        Assert.Equal(["contoso.old.b", "contoso.old.c"], done);
        Assert.True(await host.Services.GetRequiredService<SearchIndexBuilder>().IsCompleteAsync(CancellationToken.None));

        // Run again from the start: idempotent, and now search reads the index.
        Assert.Equal(3, (await host.Services.GetRequiredService<SearchIndexBuilder>().RunAsync(restart: true, null, CancellationToken.None)).IdsIndexed);
        Assert.Equal(["Contoso.Old.A", "Contoso.Old.B", "Contoso.Old.C"], (await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=contoso.old"))["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
    }

    [Fact]
    public void An_entry_stays_within_tables_limits_however_many_versions_and_however_large_its_fields()
    {
        var noise = new Random(7);
        string Text(int length) => new(Enumerable.Range(0, length).Select(_ => (char)noise.Next(0x4E00, 0x9FFF)).ToArray());
        var latest = Enumerable.Range(0, 4).Select(i => new SearchIndexLatest
        {
            Id = "Contoso.Hostile",
            Version = $"9.0.{i}",
            FullVersion = $"9.0.{i}",
            Description = Text(4000),
            Title = Text(256),
            Tags = Text(4000),
            Authors = Text(4000),
            Catalog = new System.Text.Json.Nodes.JsonObject { ["summary"] = Text(4000), ["projectUrl"] = Text(4000) }.ToJsonString(),
        }).ToList();
        var entry = new SearchIndexEntry
        {
            LowerId = "contoso.hostile",
            Latest = latest,
            Classes = [0, 1, 2, 3],
            Versions = Enumerable.Range(0, 50_000).Select(i => new SearchIndexVersion($"1.0.0-ci.{i}.{Text(8)}", $"1.0.0-ci.{i}.{Text(8)}+{Text(20)}", 3)).ToList(),
        };

        var entity = SearchIndexCodec.ToEntity(entry);
        var chunks = entity.Keys.Where(k => k.StartsWith('D')).ToList();
        Assert.InRange(chunks.Count, 1, SearchIndexCodec.MaxChunks);
        Assert.All(chunks, k => Assert.InRange(((byte[])entity[k]).Length, 1, SearchIndexCodec.ChunkBytes));
        var decoded = SearchIndexCodec.FromEntity(entity)!;
        Assert.InRange(decoded.Versions.Count, 1, SearchIndexCodec.MaxVersions);
        Assert.Equal(entry.Versions[^1], decoded.Versions[^1]);
        Assert.Equal(entry.Versions.Count - decoded.Versions.Count, decoded.TrimmedVersions);
        Assert.Equal(latest[3].Description, decoded.LatestFor(3)!.Description);
    }
}
