using System.Diagnostics;

namespace FeedBench;

/// <summary>
/// (5) Process start of the published self-contained ReadyToRun feed to its first GET / answer and to its first
/// successful push, vs. an empty ASP.NET Core app published the same way. The feed's storage already exists (as
/// after any deployment), so this is the start-up of an instance, not of a new feed.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var iterations = context.Smoke ? 1 : 7;
        var ready = new List<double>();
        var firstPush = new List<double>();
        var empty = new List<double>();

        // One unrecorded start of each first: the files' first read from disk is not what an instance start pays.
        for (var i = -1; i < iterations; i++)
        {
            using (var app = context.StartFeed())
            {
                var toReady = await app.WaitReadyAsync(TimeSpan.FromSeconds(60));
                using var feed = new FeedClient(app.BaseUrl, context.ApiKey);
                await feed.PushAsync(context.Packages.Build($"Bench.Cold.{context.RunTag}", $"1.0.{i + 1}", 10 * 1024), cancellationToken);
                var toPush = Stopwatch.GetElapsedTime(app.StartedAt);
                if (i >= 0)
                {
                    ready.Add(toReady.TotalMilliseconds);
                    firstPush.Add(toPush.TotalMilliseconds);
                }
            }

            using (var app = AppProcess.Start(context.EmptyExecutable, new Dictionary<string, string>(), feed: false))
            {
                var toReady = await app.WaitReadyAsync(TimeSpan.FromSeconds(60));
                if (i >= 0)
                {
                    empty.Add(toReady.TotalMilliseconds);
                }
            }
        }

        context.Results.Add(new ResultRow(
            "5 cold start",
            $"to first GET / (median, n={iterations})",
            ResultTable.Ms(Stats.Median(ready)),
            ResultTable.Ms(Stats.Median(empty)),
            ResultTable.Ratio(Stats.Median(ready), Stats.Median(empty)),
            "-"));
        context.Results.Add(new ResultRow(
            "5 cold start",
            $"to first push 201 (median; floor: empty app's GET /)",
            ResultTable.Ms(Stats.Median(firstPush)),
            ResultTable.Ms(Stats.Median(empty)),
            ResultTable.Ratio(Stats.Median(firstPush), Stats.Median(empty)),
            "-"));
    }
}
