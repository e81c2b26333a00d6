using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FeedBench;

/// <summary>
/// (1) Push latency through the Functions host vs. the storage writes a durable push needs at the least (blob, row,
/// message: <see cref="RawStorage.StoreAsync"/>) made straight into the same Azurite. Push and floor alternate
/// within each iteration so drift (GC, Azurite's memory) hits both alike; an iteration during which Azurite stalled
/// (<see cref="StallMonitor"/>) is discarded and taken again.
/// </summary>
internal static partial class PushLatencyBenchmark
{
    public static async Task RunAsync(BenchContext context, FeedClient feed, HostProcess app, StallMonitor stalls, CancellationToken cancellationToken)
    {
        var sizes = context.Smoke
            ? new (string Name, int Bytes, int Iterations)[] { ("10 KB", 10 * 1024, 2), ("1 MB", 1024 * 1024, 2) }
            : [("10 KB", 10 * 1024, 30), ("1 MB", 1024 * 1024, 20), ("50 MB", 50 * 1024 * 1024, 7), ("200 MB", 200 * 1024 * 1024, 4)];

        foreach (var (name, bytes, iterations) in sizes.Where(s => s.Bytes <= context.MaxLatencyBytes))
        {
            var ours = new List<double>();
            var floor = new List<double>();
            var id = $"Bench.Latency.{context.RunTag}.S{bytes}";
            var discarded = 0;

            // One unrecorded round first: connection set-up and first-call JIT belong to cold start, not to latency.
            for (var i = -1; ours.Count < iterations && discarded <= iterations; i++)
            {
                var version = $"1.0.{i + 1}";
                var package = context.Packages.Build(id, version, bytes);
                var pushFirst = i % 2 == 0;
                var iterationStarted = Stopwatch.GetTimestamp();
                double pushMs = 0, floorMs = 0;
                for (var step = 0; step < 2; step++)
                {
                    var started = Stopwatch.GetTimestamp();
                    if ((step == 0) == pushFirst)
                    {
                        await feed.PushAsync(package, cancellationToken);
                        pushMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        await context.WaitForFeedIdleAsync(cancellationToken);
                    }
                    else
                    {
                        await context.Raw.StoreAsync(id + ".Raw", version, package, cancellationToken);
                        floorMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    }
                }

                if (stalls.StalledSince(iterationStarted))
                {
                    discarded++;
                }
                else if (i >= 0)
                {
                    ours.Add(pushMs);
                    floor.Add(floorMs);
                }

                await context.DeletePushedBlobsAsync(id, version, cancellationToken);
                await context.Raw.DeleteAsync(id + ".Raw", version, cancellationToken);
                if (i == -1)
                {
                    app.TakePhaseLines();
                }
            }

            if (discarded > 0)
            {
                context.Notes.Add($"push latency {name}: {discarded} iteration(s) discarded, Azurite stalled during them");
            }

            var goal = bytes <= 50 * 1024 * 1024 ? Goal(Stats.Median(ours) / Stats.Median(floor), 1.3) : "-";
            context.Results.Add(new ResultRow(
                "1 push latency",
                $"{name} median (n={iterations})",
                ResultTable.Ms(Stats.Median(ours)),
                ResultTable.Ms(Stats.Median(floor)),
                ResultTable.Ratio(Stats.Median(ours), Stats.Median(floor)),
                goal));
            context.Results.Add(new ResultRow(
                "1 push latency",
                $"{name} p95",
                ResultTable.Ms(Stats.P95(ours)),
                ResultTable.Ms(Stats.P95(floor)),
                ResultTable.Ratio(Stats.P95(ours), Stats.P95(floor)),
                bytes <= 50 * 1024 * 1024 ? Goal(Stats.P95(ours) / Stats.P95(floor), 1.5) : "-"));
            if (context.Phases)
            {
                // The log line may trail the response by a moment.
                await Task.Delay(200, cancellationToken);
                context.Results.Add(new ResultRow("1 push phases", $"{name} median per phase (ms)", MedianPhases(app.TakePhaseLines()), "-", "-", "-"));
            }
        }
    }

    private static string MedianPhases(List<string> lines)
    {
        var phases = new Dictionary<string, List<double>>();
        var order = new List<string>();
        foreach (var line in lines)
        {
            foreach (Match match in Phase().Matches(line))
            {
                var name = match.Groups[1].Value;
                if (!phases.TryGetValue(name, out var values))
                {
                    phases[name] = values = [];
                    order.Add(name);
                }

                values.Add(double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }

        return string.Join(' ', order.Select(n => $"{n}={Stats.Median(phases[n]).ToString("F1", CultureInfo.InvariantCulture)}"));
    }

    [GeneratedRegex(@"\b([a-z.]+)=([0-9]+\.[0-9]+)")]
    private static partial Regex Phase();

    private static string Goal(double ratio, double goal) =>
        ratio <= goal ? $"<= {goal:F1}x: met" : $"<= {goal:F1}x: NOT met";
}
