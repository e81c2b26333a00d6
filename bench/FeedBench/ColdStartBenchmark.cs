using System.Diagnostics;

namespace FeedBench;

/// <summary>
/// (5) Cold start through the Functions host: `func start` of the published feed (host + isolated worker) to its
/// first answered request (the service index, which waits for the storage set-up like every feed request) and to
/// its first successful push, against the host with an empty isolated-worker app (one HTTP function, published the
/// same way) to its first answered request. The feed's storage already exists (as after any deployment), so this
/// is the start-up of an instance, not of a new feed.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var iterations = context.Smoke ? 1 : 5;
        var ready = new List<double>();
        var firstPush = new List<double>();
        var empty = new List<double>();

        // One unrecorded start of each first: the files' first read from disk is not what an instance start pays.
        for (var i = -1; i < iterations; i++)
        {
            using (var app = context.StartFeed())
            {
                var toReady = await app.WaitReadyAsync("/v3/index.json", TimeSpan.FromSeconds(120));
                using var feed = new FeedClient(app.BaseUrl, context.ApiKey);
                await feed.PushAsync(context.Packages.Build($"Bench.Cold.{context.RunTag}", $"1.0.{i + 1}", 10 * 1024), cancellationToken);
                var toPush = Stopwatch.GetElapsedTime(app.StartedAt);
                if (i >= 0)
                {
                    ready.Add(toReady.TotalMilliseconds);
                    firstPush.Add(toPush.TotalMilliseconds);
                }
            }

            using (var app = context.StartEmpty())
            {
                var toReady = await app.WaitReadyAsync("/api/ping", TimeSpan.FromSeconds(120));
                if (i >= 0)
                {
                    empty.Add(toReady.TotalMilliseconds);
                }
            }
        }

        context.Results.Add(new ResultRow(
            "5 cold start",
            $"host + feed to first answer, GET /v3/index.json (median, n={iterations}); floor: host + empty isolated app",
            ResultTable.Ms(Stats.Median(ready)),
            ResultTable.Ms(Stats.Median(empty)),
            ResultTable.Ratio(Stats.Median(ready), Stats.Median(empty)),
            context.Smoke ? "-" : Stats.Median(ready) <= 1.3 * Stats.Median(empty) ? "<= 1.3x: met" : "<= 1.3x: NOT met"));
        context.Results.Add(new ResultRow(
            "5 cold start",
            "host + feed to first push 201 (median; floor: empty app's first answer)",
            ResultTable.Ms(Stats.Median(firstPush)),
            ResultTable.Ms(Stats.Median(empty)),
            ResultTable.Ratio(Stats.Median(firstPush), Stats.Median(empty)),
            "-"));
    }
}
