using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;

namespace FeedBench;

/// <summary>
/// (7) A simulated month of CI, once with retention off and once on (each on a host of its own, ids of its own):
/// <see cref="RetentionMonth.Ids"/> packages, each pushing <see cref="RetentionMonth.PrereleasesPerDay"/> prereleases
/// a day (<c>1.{w}.0-ci.{n}</c>, one id's pushes one after another as one pipeline's builds are, the ids in parallel)
/// and a stable release a week (<c>1.{w}.0</c>). Measures what is stored at the end (versions, blobs and bytes, after
/// the feed is idle) and every push's latency, on vs off. Simulated time: a month's pushes run back to back, so only
/// the count rule can act (the age rule needs real days) and the minimum age is 0 (versions a second old count as
/// old). Push latency twice: under the month's back-to-back load (a month compressed into minutes: every push
/// overlaps other pushes and their events' work on the same cores and the same single-threaded Azurite), and one push
/// at a time on the idle feed (what a pipeline sees; the goal: within 10% of off). Not in the default run: <c>--only retention</c>.
/// </summary>
internal static class RetentionBenchmark
{
    public static async Task RunAsync(BenchContext context, RetentionMonth month, CancellationToken cancellationToken)
    {
        var off = await RunMonthAsync(context, month, retention: false, cancellationToken);
        var on = await RunMonthAsync(context, month, retention: true, cancellationToken);
        var shape = $"{month.Days} days x {month.Ids} ids x {month.PrereleasesPerDay}/day + weekly release, {month.PackageBytes / 1024} KB packages, " +
                    $"MaxPrereleaseVersionsPerId={month.MaxPrereleases}";
        context.Notes.Add($"retention month: {shape}; {off.Pushes} pushes per mode; 'Feed' = retention on, 'Floor' = retention off");
        context.Results.Add(new ResultRow("7 retention month", "versions stored", N(on.Versions), N(off.Versions), ResultTable.Ratio(on.Versions, off.Versions), "-"));
        context.Results.Add(new ResultRow("7 retention month", "blobs stored", N(on.Blobs), N(off.Blobs), ResultTable.Ratio(on.Blobs, off.Blobs), "-"));
        context.Results.Add(new ResultRow("7 retention month", "MB stored", Mb(on.Bytes), Mb(off.Bytes), ResultTable.Ratio(on.Bytes, off.Bytes), "-"));
        var (seqOn, seqOff) = (Stats.Median(on.Sequential), Stats.Median(off.Sequential));
        context.Results.Add(new ResultRow("7 retention month", $"push median, one at a time (n={on.Sequential.Length})", ResultTable.Ms(seqOn), ResultTable.Ms(seqOff),
            ResultTable.Ratio(seqOn, seqOff), seqOn <= seqOff * 1.1 ? "<= 1.1x: met" : "<= 1.1x: NOT met"));
        context.Results.Add(new ResultRow("7 retention month", "push p95, one at a time", ResultTable.Ms(Stats.P95(on.Sequential)), ResultTable.Ms(Stats.P95(off.Sequential)),
            ResultTable.Ratio(Stats.P95(on.Sequential), Stats.P95(off.Sequential)), "-"));
        var (p50On, p50Off) = (Stats.Median(on.Latencies), Stats.Median(off.Latencies));
        var (p95On, p95Off) = (Stats.P95(on.Latencies), Stats.P95(off.Latencies));
        context.Results.Add(new ResultRow("7 retention month", $"push median, month back to back (n={on.Pushes})", ResultTable.Ms(p50On), ResultTable.Ms(p50Off), ResultTable.Ratio(p50On, p50Off), "-"));
        context.Results.Add(new ResultRow("7 retention month", "push p95, month back to back", ResultTable.Ms(p95On), ResultTable.Ms(p95Off), ResultTable.Ratio(p95On, p95Off), "-"));
        context.Results.Add(new ResultRow("7 retention month", "month's pushes, wall clock (s)", S(on.Elapsed), S(off.Elapsed), ResultTable.Ratio(on.Elapsed.TotalSeconds, off.Elapsed.TotalSeconds), "-"));
    }

    private static async Task<MonthResult> RunMonthAsync(BenchContext context, RetentionMonth month, bool retention, CancellationToken cancellationToken)
    {
        var environment = context.FeedEnvironment;
        if (retention)
        {
            environment["Feed__Retention__MaxPrereleaseVersionsPerId"] = month.MaxPrereleases.ToString(CultureInfo.InvariantCulture);
            environment["Feed__Retention__MinimumAge"] = "00:00:00";
        }

        using var host = HostProcess.Start(context.Func, context.FeedFolder, "FeedFunctions.dll", environment);
        await host.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));
        using var feed = new FeedClient(host.BaseUrl, context.ApiKey);
        var ids = Enumerable.Range(0, month.Ids).Select(i => $"Bench.Month.{context.RunTag}.{(retention ? "On" : "Off")}.P{i}").ToArray();
        var latencies = new ConcurrentBag<double>();
        var mode = retention ? "on" : "off";

        // Unrecorded warm-up (connections, first-call JIT: cold start, not push latency), with an id of its own.
        for (var i = 0; i < 10; i++)
        {
            await PushAsync(context, feed, $"Bench.Month.{context.RunTag}.{mode}.Warmup", $"0.0.{i}-ci.1", month.PackageBytes, new ConcurrentBag<double>(), cancellationToken);
        }

        await context.WaitForFeedIdleAsync(cancellationToken);
        Console.Error.WriteLine($"  retention {mode}: {month.Days} simulated days...");
        var clock = Stopwatch.StartNew();
        for (var day = 0; day < month.Days; day++)
        {
            // A day: every id's pipeline builds in parallel with the others; one id's builds one after another.
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = ids.Length, CancellationToken = cancellationToken }, async (id, ct) =>
            {
                var week = day / 7;
                for (var build = 0; build < month.PrereleasesPerDay; build++)
                {
                    await PushAsync(context, feed, id, $"1.{week + 1}.0-ci.{day * month.PrereleasesPerDay + build + 1}", month.PackageBytes, latencies, ct);
                }

                if (day % 7 == 6)
                {
                    await PushAsync(context, feed, id, $"1.{week + 1}.0", month.PackageBytes, latencies, ct);
                }
            });
        }

        var elapsed = clock.Elapsed;
        await context.WaitForFeedIdleAsync(cancellationToken);
        var (versions, blobs, bytes) = await MeasureAsync(context, ids, cancellationToken);

        // Push latency as a pipeline sees it on a feed that is not saturated: one push at a time, the feed idle again
        // before the next (the wait is not timed). With retention on, every one of these pushes removes a version.
        var sequential = new ConcurrentBag<double>();
        for (var i = 0; i < month.SequentialPushes; i++)
        {
            await PushAsync(context, feed, ids[0], $"9.0.0-ci.{i + 1}", month.PackageBytes, sequential, cancellationToken);
            await context.WaitForFeedIdleAsync(cancellationToken);
        }

        Console.Error.WriteLine($"  retention {mode}: {latencies.Count} pushes in {elapsed.TotalSeconds:F0} s; {versions} versions, {blobs} blobs, {bytes} bytes stored");
        return new MonthResult(latencies.Count, latencies.ToArray(), sequential.ToArray(), versions, blobs, bytes, elapsed);
    }

    private static async Task PushAsync(BenchContext context, FeedClient feed, string id, string version, int bytes, ConcurrentBag<double> latencies, CancellationToken cancellationToken)
    {
        var package = context.Packages.Build(id, version, bytes);
        var started = Stopwatch.GetTimestamp();
        await feed.PushAsync(package, cancellationToken);
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Version rows (one partition query per id, row keys only) and blobs (one listing per id) of the run's ids.</summary>
    private static async Task<(long Versions, long Blobs, long Bytes)> MeasureAsync(BenchContext context, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var table = new TableClient(context.ConnectionString, new FeedFunctions.Feed.FeedStorageOptions().PackagesTable);
        var container = context.FeedPackages;
        long versions = 0, blobs = 0, bytes = 0;
        foreach (var id in ids.Select(i => i.ToLowerInvariant()))
        {
            await foreach (var _ in table.QueryAsync<TableEntity>(FeedFunctions.Packages.PackageRows.VersionsOf(id), select: ["RowKey"], cancellationToken: cancellationToken))
            {
                versions++;
            }

            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, id + "/", cancellationToken))
            {
                blobs++;
                bytes += blob.Properties.ContentLength ?? 0;
            }
        }

        return (versions, blobs, bytes);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string S(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture);

    private sealed record MonthResult(int Pushes, double[] Latencies, double[] Sequential, long Versions, long Blobs, long Bytes, TimeSpan Elapsed);
}

/// <summary>The shape of the simulated month (command-line options <c>--month-*</c>).</summary>
internal sealed record RetentionMonth(int Days, int Ids, int PrereleasesPerDay, int PackageBytes, int MaxPrereleases, int SequentialPushes);
