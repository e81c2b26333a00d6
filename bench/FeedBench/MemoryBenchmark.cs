using System.Diagnostics;

namespace FeedBench;

/// <summary>
/// (3) Peak working set of a fresh instance while it receives a 200 MB package, against its own idle RSS after a
/// warm-up push: the isolated worker (where the push is read, hashed and staged), and the Functions host, which
/// proxies the body to it. VmHWM is reset just before the push (clear_refs), and RSS is also sampled as a cross-check.
/// </summary>
internal static class MemoryBenchmark
{
    private const long GoalBytes = 64L * 1024 * 1024;

    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var size = context.Smoke ? 20 * 1024 * 1024 : 200 * 1024 * 1024;
        var label = context.Smoke ? "20 MB push (smoke)" : "200 MB push";
        using var app = context.StartFeed();
        await app.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));
        var worker = app.WorkerPid();
        using var feed = new FeedClient(app.BaseUrl, context.ApiKey);
        var id = $"Bench.Memory.{context.RunTag}";

        // Warm the push path (JIT, connection pools, first buffers) so "idle" is a steady state, not a fresh process.
        await feed.PushAsync(context.Packages.Build(id, "0.0.1", 10 * 1024), cancellationToken);
        await feed.PushAsync(context.Packages.Build(id, "0.0.2", 1024 * 1024), cancellationToken);
        var package = context.Packages.Build(id, "1.0.0", size);
        await Task.Delay(1000, cancellationToken);
        var idle = HostProcess.ReadMemory(worker).Current;
        var hostIdle = HostProcess.ReadMemory(app.HostPid).Current;
        var resetWorked = HostProcess.TryResetPeak(worker) & HostProcess.TryResetPeak(app.HostPid);
        var sampledPeak = idle;
        var hostSampledPeak = hostIdle;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                sampledPeak = Math.Max(sampledPeak, HostProcess.ReadMemory(worker).Current);
                hostSampledPeak = Math.Max(hostSampledPeak, HostProcess.ReadMemory(app.HostPid).Current);
                try
                {
                    await Task.Delay(10, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }, CancellationToken.None);

        var started = Stopwatch.GetTimestamp();
        await feed.PushAsync(package, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        await sampling.CancelAsync();
        await sampler;
        var (hwm, _) = HostProcess.ReadMemory(worker);
        var (hostHwm, _) = HostProcess.ReadMemory(app.HostPid);
        var peak = resetWorked ? Math.Max(hwm, sampledPeak) : sampledPeak;
        var hostPeak = resetWorked ? Math.Max(hostHwm, hostSampledPeak) : hostSampledPeak;
        var growth = peak - idle;
        var hostGrowth = hostPeak - hostIdle;
        await context.DeletePushedBlobsAsync(id, "1.0.0", cancellationToken);

        context.Results.Add(new ResultRow(
            "3 memory",
            $"{label}: worker peak RSS growth ({(resetWorked ? "VmHWM" : "sampled VmRSS")}, push {ResultTable.Ms(elapsed.TotalMilliseconds)})",
            ResultTable.Mb(growth) + $" (peak {ResultTable.Mb(peak)})",
            "idle " + ResultTable.Mb(idle),
            "-",
            context.Smoke ? "-" : growth < GoalBytes ? "< 64 MB: met" : "< 64 MB: NOT met"));
        context.Results.Add(new ResultRow(
            "3 memory",
            $"{label}: host peak RSS growth (proxying the body)",
            ResultTable.Mb(hostGrowth) + $" (peak {ResultTable.Mb(hostPeak)})",
            "idle " + ResultTable.Mb(hostIdle),
            "-",
            "-"));
    }
}
