using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace FeedBench;

/// <summary>
/// Sustained push load through the host, as issue 18 found the hangs: <c>--pushes</c> distinct small packages by
/// <c>--clients</c> concurrent clients (the NuGet client's chunked multipart push), every answer recorded. Reports
/// answers by status, latency percentiles, requests over 10 s, and the windows in which requests stalled together.
/// A request is given 5 minutes: a hang shows as a latency, not as a client time-out.
/// </summary>
internal static class SustainedPushBenchmark
{
    private const int PackageBytes = 4 * 1024;

    public static async Task RunAsync(BenchContext context, int pushes, int clients, CancellationToken cancellationToken)
    {
        using var feedApp = context.StartFeed(logFile: Path.Combine(context.OutputFolder, $"sustained-{clients}c-host.log"), defaultLogLevels: context.DefaultLogLevels);
        await feedApp.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };

        var samples = new ConcurrentBag<Sample>();
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var progress = Task.Run(async () =>
        {
            while (Volatile.Read(ref next) < pushes - 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
                Console.Error.WriteLine($"  {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {samples.Count} answered, {samples.Count(s => s.Status != 201)} not 201, slowest {samples.Select(s => s.Seconds).DefaultIfEmpty().Max():F1} s");
            }
        }, cancellationToken);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < pushes)
            {
                var id = $"Bench.Sus.{context.RunTag}.C{clients}.W{n % 64}";
                var package = context.Packages.Build(id, $"1.0.{n}", PackageBytes);
                var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var watch = Stopwatch.StartNew();
                int status;
                string? reason = null;
                try
                {
                    using var content = new MultipartFormDataContent();
                    var part = new ByteArrayContent(package.Array!, package.Offset, package.Count);
                    part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    content.Add(part, "package", "package.nupkg");
                    using var request = new HttpRequestMessage(HttpMethod.Put, feedApp.BaseUrl + "/api/v2/package/") { Content = content };
                    request.Headers.Add("X-NuGet-ApiKey", context.ApiKey);
                    request.Headers.TransferEncodingChunked = true;
                    using var response = await http.SendAsync(request, cancellationToken);
                    status = (int)response.StatusCode;
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        reason = response.ReasonPhrase + " " + response.Headers.RetryAfter;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                    reason = ex.GetType().Name + ": " + ex.Message;
                }

                samples.Add(new Sample(at, watch.Elapsed.TotalSeconds, status, reason));
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        await progress;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var all = samples.OrderBy(s => s.At).ToList();
        var latencies = all.Where(s => s.Status == 201).Select(s => s.Seconds * 1000).Order().ToArray();
        var slow = all.Where(s => s.Seconds > 10).ToList();
        var byStatus = string.Join(", ", all.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
        var label = $"{pushes} x 4 KB pushes, {clients} clients";
        context.Results.Add(new ResultRow("8 sustained push", label + " (p50 / p99 / max)",
            $"{Percentile(latencies, 0.5):F0} / {Percentile(latencies, 0.99):F0} / {all.Max(s => s.Seconds) * 1000:F0} ms", "-",
            $"{all.Count / elapsed:F1} /s",
            slow.Count == 0 && all.All(s => s.Status == 201) ? "0 non-201, none > 10 s: met" : $"{all.Count(s => s.Status != 201)} non-201, {slow.Count} > 10 s: NOT met"));
        context.Notes.Add($"sustained {clients} clients: answers {byStatus}; {slow.Count} over 10 s; {elapsed:F0} s");
        foreach (var group in all.Where(s => s.Status != 201).GroupBy(s => s.Reason).Take(10))
        {
            context.Notes.Add($"sustained {clients} clients: {group.Count()} x {group.First().Status} {group.Key}");
        }

        foreach (var s in slow.Take(20))
        {
            context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"sustained {clients} clients: slow request sent at {s.At:F1} s took {s.Seconds:F1} s -> {s.Status} {s.Reason}"));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private sealed record Sample(double At, double Seconds, int Status, string? Reason);
}
