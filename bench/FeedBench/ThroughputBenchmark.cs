using System.Diagnostics;
using System.Globalization;

namespace FeedBench;

/// <summary>
/// (2) Pushes per second of distinct small packages at 1, 4, 8, 16 and 64 concurrent clients vs. the raw writes a
/// push needs at least (Put Blob + insert row) at the same concurrency. Each client works until the window closes;
/// a window during which Azurite stalled (<see cref="StallMonitor"/>) is measured again (at most twice).
/// </summary>
internal static class ThroughputBenchmark
{
    private const int PackageBytes = 4 * 1024;
    private const int MaxOperationsPerClient = 100_000;

    public static async Task RunAsync(BenchContext context, FeedClient feed, StallMonitor stalls, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromSeconds(context.Smoke ? 1 : 6);
        int[] concurrencies = context.Smoke ? [1, 4] : [1, 4, 8, 16, 64];

        // Unrecorded warm-up of both paths.
        await MeasureAsync(context, feed, 4, TimeSpan.FromSeconds(context.Smoke ? 0.3 : 1), raw: false, "w", cancellationToken);
        await MeasureAsync(context, feed, 4, TimeSpan.FromSeconds(context.Smoke ? 0.3 : 1), raw: true, "w", cancellationToken);

        foreach (var clients in concurrencies)
        {
            double ours = 0, floor = 0;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                ours = await MeasureAsync(context, feed, clients, window, raw: false, $"c{clients}a{attempt}", cancellationToken);
                floor = await MeasureAsync(context, feed, clients, window, raw: true, $"c{clients}a{attempt}", cancellationToken);
                if (!stalls.StalledSince(started))
                {
                    break;
                }

                context.Notes.Add($"push throughput {clients} clients: attempt {attempt + 1} measured again, Azurite stalled during it");
            }

            context.Results.Add(new ResultRow(
                "2 push throughput",
                $"{clients} client{(clients == 1 ? string.Empty : "s")}, 4 KB packages",
                PerSecond(ours),
                PerSecond(floor),
                floor > 0 ? (ours / floor).ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a",
                clients != 8 || floor <= 0 ? "-" : ours / floor >= 0.8 ? ">= 0.8x: met" : ">= 0.8x: NOT met"));
        }
    }

    private static async Task<double> MeasureAsync(
        BenchContext context, FeedClient feed, int clients, TimeSpan window, bool raw, string tag, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var done = 0;
            var id = $"Bench.Tp.{context.RunTag}.{tag}{(raw ? "r" : "f")}.W{worker}";
            while (done < MaxOperationsPerClient && Stopwatch.GetTimestamp() < deadline)
            {
                var version = $"1.0.{done}";
                var package = context.Packages.Build(id, version, PackageBytes);
                if (raw)
                {
                    var rowKey = version;
                    await context.Raw.PutBlobAsync($"{id.ToLowerInvariant()}/{version}/{id.ToLowerInvariant()}.{version}.nupkg", package, cancellationToken);
                    await context.Raw.InsertRowAsync(id.ToLowerInvariant(), rowKey, cancellationToken);
                }
                else
                {
                    await feed.PushAsync(package, cancellationToken);
                }

                done++;
            }

            return done;
        }, cancellationToken)).ToArray();
        var total = (await Task.WhenAll(workers)).Sum();
        return total / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static string PerSecond(double rate) => rate.ToString("F1", CultureInfo.InvariantCulture) + " /s";
}
