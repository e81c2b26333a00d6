using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace FeedBench.Soak;

/// <summary>
/// Issue 18's soak: mixed load through the host for <c>--soak-minutes</c> (8 pushers, a .snupkg every 40th push,
/// restores, searches, unlist/relist), storage faults injected (every connection to storage reset, or all storage
/// traffic held for 3 s, alternating every minute) and one worker kill (SIGKILL; the host starts a new worker). Then:
/// every 201 is on the feed byte for byte, every change has its event at the webhook (at least once; redeliveries
/// counted), no 500, no request over 30 s, and the worker's memory at the end within 1.2x of minute 5.
/// </summary>
internal static class SoakBenchmark
{
    private const int Pushers = 8;
    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(BenchContext context, double minutes, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromMinutes(minutes);
        var ports = AzurePorts(context.ConnectionString);
        await using var blobProxy = new FaultyTcpProxy(ports.Blob);
        await using var queueProxy = new FaultyTcpProxy(ports.Queue);
        await using var tableProxy = new FaultyTcpProxy(ports.Table);
        FaultyTcpProxy[] proxies = [blobProxy, queueProxy, tableProxy];
        await using var sink = await WebhookSink.StartAsync();
        var environment = context.FeedEnvironment;
        environment["AzureWebJobsStorage"] = context.ConnectionString
            .Replace($":{ports.Blob}/", $":{blobProxy.Port}/", StringComparison.Ordinal)
            .Replace($":{ports.Queue}/", $":{queueProxy.Port}/", StringComparison.Ordinal)
            .Replace($":{ports.Table}/", $":{tableProxy.Port}/", StringComparison.Ordinal);
        environment["Feed__Webhooks__0__Url"] = sink.Url;
        environment["Feed__Webhooks__0__Secret"] = "soak";
        environment["Feed__Events__SweepAge"] = "00:00:30";
        environment["Feed__Events__SweepSchedule"] = "*/15 * * * * *";
        using var feedApp = HostProcess.Start(
            context.Func, context.FeedFolder, "FeedFunctions.dll", environment, Path.Combine(context.OutputFolder, "soak-host.log"), defaultLogLevels: true);
        await feedApp.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(feedApp.BaseUrl),
            Timeout = TimeSpan.FromMinutes(5),
        };
        var log = new ConcurrentBag<Request>();
        var acknowledged = new ConcurrentDictionary<string, byte[]>(); // "id/version" (lowercase) -> SHA-256 of the .nupkg
        var ackList = new ConcurrentQueue<string>();
        var changes = new ConcurrentBag<string>(); // "type id version" of every change acknowledged
        var clock = Stopwatch.StartNew();
        var deadline = clock.Elapsed + duration;
        bool Running() => clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested;
        var random = new Random(18);
        string RandomAcknowledged()
        {
            var all = ackList.ToArray();
            lock (random)
            {
                return all.Length == 0 ? string.Empty : all[random.Next(all.Length)];
            }
        }

        async Task<HttpResponseMessage?> Send(string kind, Func<HttpRequestMessage> create)
        {
            var at = clock.Elapsed.TotalSeconds;
            var watch = Stopwatch.StartNew();
            try
            {
                using var request = create();
                var response = await http.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                log.Add(new Request(kind, at, watch.Elapsed.TotalSeconds, (int)response.StatusCode, response.ReasonPhrase));
                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                log.Add(new Request(kind, at, watch.Elapsed.TotalSeconds, 0, ex.Message));
                return null;
            }
        }

        HttpRequestMessage Push(string route, byte[] package)
        {
            var content = new MultipartFormDataContent();
            var part = new ByteArrayContent(package);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "package", "package.nupkg");
            var request = new HttpRequestMessage(HttpMethod.Put, route) { Content = content };
            request.Headers.Add("X-NuGet-ApiKey", context.ApiKey);
            request.Headers.TransferEncodingChunked = true;
            return request;
        }

        HttpRequestMessage Keyed(HttpMethod method, string path)
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-NuGet-ApiKey", context.ApiKey);
            return request;
        }

        var pushers = Enumerable.Range(0, Pushers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; Running(); n++)
            {
                var id = $"Soak.{context.RunTag}.P{w}.L{n % 10}";
                var version = $"1.{w}.{n}";
                var bytes = context.Packages.Build(id, version, 8 * 1024).ToArray();
                var session = Guid.NewGuid().ToString();
                HttpResponseMessage? response = null;

                // As the NuGet client does: a 5xx (or a lost connection) is retried with the same session id.
                for (var attempt = 0; attempt < 4 && Running(); attempt++)
                {
                    response?.Dispose();
                    response = await Send("push", () =>
                    {
                        var request = Push("/api/v2/package/", bytes);
                        request.Headers.Add("X-NuGet-Session-Id", session);
                        return request;
                    });
                    if (response is { StatusCode: < HttpStatusCode.InternalServerError })
                    {
                        break;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }

                if (response?.StatusCode == HttpStatusCode.Created)
                {
                    var key = $"{id.ToLowerInvariant()}/{version}";
                    acknowledged[key] = SHA256.HashData(bytes);
                    ackList.Enqueue(key);
                    changes.Add($"package.uploaded {key.Replace('/', ' ')}");
                    if (n % 40 == 39)
                    {
                        using var symbols = await Send("symbols", () => Push("/api/v2/symbolpackage/", SymbolPackages.Build(id, version)));
                    }
                }

                response?.Dispose();
            }
        }, cancellationToken)).ToList();

        var restorer = Task.Run(async () =>
        {
            while (Running())
            {
                var key = RandomAcknowledged();
                if (key.Length == 0)
                {
                    await Task.Delay(100, cancellationToken);
                    continue;
                }

                var (id, version) = (key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]);
                using var index = await Send("restore-index", () => new HttpRequestMessage(HttpMethod.Get, $"/v3/flatcontainer/{id}/index.json"));
                using var package = await Send("restore-nupkg", () => new HttpRequestMessage(HttpMethod.Get, $"/v3/flatcontainer/{id}/{version}/{id}.{version}.nupkg"));
                if (package?.StatusCode == HttpStatusCode.OK && !SHA256.HashData(await package.Content.ReadAsByteArrayAsync(cancellationToken)).AsSpan().SequenceEqual(acknowledged[key]))
                {
                    log.Add(new Request("restore-mismatch", clock.Elapsed.TotalSeconds, 0, 0, key));
                }
            }
        }, cancellationToken);

        var searcher = Task.Run(async () =>
        {
            while (Running())
            {
                using var search = await Send("search", () => new HttpRequestMessage(HttpMethod.Get, $"/v3/search?q=Soak.{context.RunTag}&take=20&prerelease=true&semVerLevel=2.0.0"));
                using var autocomplete = await Send("autocomplete", () => new HttpRequestMessage(HttpMethod.Get, $"/v3/autocomplete?q=soak.{context.RunTag.ToLowerInvariant()}&take=20"));
                await Task.Delay(250, cancellationToken);
            }
        }, cancellationToken);

        var lister = Task.Run(async () =>
        {
            while (Running())
            {
                await Task.Delay(2000, cancellationToken);
                var key = RandomAcknowledged();
                if (key.Length == 0)
                {
                    continue;
                }

                var path = "/api/v2/package/" + key;
                using var unlist = await Send("unlist", () => Keyed(HttpMethod.Delete, path));
                if (unlist?.StatusCode == HttpStatusCode.NoContent)
                {
                    changes.Add($"package.unlisted {key.Replace('/', ' ')}");
                    using var relist = await Send("relist", () => Keyed(HttpMethod.Post, path));
                    if (relist?.StatusCode == HttpStatusCode.OK)
                    {
                        changes.Add($"package.relisted {key.Replace('/', ' ')}");
                    }
                }
            }
        }, cancellationToken);

        var memory = new List<(double Minute, long Rss)>();
        var killAt = duration * 0.1;
        double? killedAt = null;
        var faults = Task.Run(async () =>
        {
            var next = FaultEvery;
            var sampleNext = TimeSpan.FromSeconds(30);
            var reset = true;
            while (Running())
            {
                await Task.Delay(250, cancellationToken);
                if (killedAt is null && clock.Elapsed >= killAt)
                {
                    killedAt = clock.Elapsed.TotalSeconds;
                    Process.GetProcessById(feedApp.WorkerPid()).Kill();
                    Console.Error.WriteLine($"  {killedAt:F0} s: worker killed");
                }

                if (clock.Elapsed >= next)
                {
                    next += FaultEvery;
                    if (reset)
                    {
                        foreach (var proxy in proxies)
                        {
                            proxy.ResetAll();
                        }
                    }
                    else
                    {
                        await Task.WhenAll(proxies.Select(p => p.HoldAsync(TimeSpan.FromSeconds(3))));
                    }

                    reset = !reset;
                }

                if (clock.Elapsed >= sampleNext)
                {
                    sampleNext += TimeSpan.FromSeconds(30);
                    try
                    {
                        memory.Add((clock.Elapsed.TotalMinutes, HostProcess.ReadMemory(feedApp.WorkerPid()).Current));
                    }
                    catch (InvalidOperationException)
                    {
                        // Between a worker's death and its successor.
                    }

                    Console.Error.WriteLine($"  {clock.Elapsed.TotalMinutes:F1} min: {log.Count} requests, {log.Count(r => r.Status >= 500 || r.Status == 0)} 5xx/failed, {acknowledged.Count} packages");
                }
            }
        }, cancellationToken);

        await Task.WhenAll([.. pushers, restorer, searcher, lister, faults]);
        var loadSeconds = clock.Elapsed.TotalSeconds;

        // Settle: the outbox and the queue empty (the sweep re-sends what a killed worker never sent).
        var settled = await SettleAsync(context, TimeSpan.FromMinutes(3), cancellationToken);

        // Every 201 is on the feed, byte for byte (read directly, not through the faulty proxies).
        var missing = 0;
        foreach (var (key, hash) in acknowledged)
        {
            var (id, version) = (key[..key.IndexOf('/')], key[(key.IndexOf('/') + 1)..]);
            using var package = await http.GetAsync($"/v3/flatcontainer/{id}/{version}/{id}.{version}.nupkg", cancellationToken);
            if (package.StatusCode != HttpStatusCode.OK || !SHA256.HashData(await package.Content.ReadAsByteArrayAsync(cancellationToken)).AsSpan().SequenceEqual(hash))
            {
                missing++;
            }
        }

        var delivered = sink.Events.Values.ToHashSet();
        var undelivered = changes.Distinct().Count(change => !delivered.Contains(change));
        var redelivered = sink.Deliveries.Values.Count(n => n > 1);
        var all = log.ToList();
        bool NearKill(Request r) => killedAt is { } k && r.At + r.Seconds >= k - 1 && r.At <= k + 15;
        var errors = all.Where(r => r.Status >= 500 || r.Status == 0).ToList();
        var slow = all.Where(r => r.Seconds > 30).ToList();
        var minute5 = memory.Where(m => m.Minute >= Math.Min(5, minutes / 6)).Select(m => m.Rss).FirstOrDefault();
        var last = memory.Count > 0 ? memory[^1].Rss : 0;
        var ratio = minute5 > 0 ? (double)last / minute5 : double.NaN;

        var label = string.Create(CultureInfo.InvariantCulture, $"{minutes:F0} min mixed load, faults + worker kill");
        context.Results.Add(new ResultRow("9 soak", label + ": 5xx-or-failed / > 30 s / lost / undelivered events",
            $"{errors.Count} / {slow.Count} / {missing} / {undelivered}", "-", $"{all.Count / loadSeconds:F0} req/s",
            errors.Count == 0 && slow.Count == 0 && missing == 0 && undelivered == 0 && settled ? "met" : "NOT met"));
        context.Results.Add(new ResultRow("9 soak", "worker memory, end / minute 5",
            $"{last / 1048576.0:F0} / {minute5 / 1048576.0:F0} MB", "-", ratio.ToString("F2", CultureInfo.InvariantCulture) + "x",
            ratio <= 1.2 ? "<= 1.2x: met" : "<= 1.2x: NOT met"));
        context.Notes.Add($"soak: {all.Count} requests ({string.Join(", ", all.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}); " +
            $"{acknowledged.Count} packages acknowledged; {changes.Count} changes; {sink.Deliveries.Count} distinct events delivered, {redelivered} of them more than once; " +
            $"faults: {blobProxy.Resets} resets, {blobProxy.Holds} 3 s holds; worker killed at {killedAt:F0} s; settled: {settled}");
        context.Notes.Add($"soak: statuses {string.Join(", ", all.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}; " +
            $"5xx/failed near the worker kill: {errors.Count(NearKill)}; slowest {all.Max(r => r.Seconds):F1} s");
        foreach (var group in errors.GroupBy(r => (r.Kind, r.Status, r.Reason)).Take(12))
        {
            context.Notes.Add($"soak: {group.Count()} x {group.Key.Kind} {group.Key.Status} {group.Key.Reason} (first at {group.Min(r => r.At):F0} s)");
        }

        context.Notes.Add("soak: worker RSS by minute: " + string.Join(", ", memory.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Minute:F1}: {m.Rss / 1048576.0:F0} MB"))));
    }

    private static async Task<bool> SettleAsync(BenchContext context, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                await context.WaitForFeedIdleAsync(cancellationToken);
                return true;
            }
            catch (TimeoutException)
            {
            }
        }

        return false;
    }

    private static (int Blob, int Queue, int Table) AzurePorts(string connectionString)
    {
        int Port(string name)
        {
            var part = connectionString.Split(';').First(p => p.StartsWith(name + "=", StringComparison.Ordinal));
            return new Uri(part[(name.Length + 1)..]).Port;
        }

        return (Port("BlobEndpoint"), Port("QueueEndpoint"), Port("TableEndpoint"));
    }

    private sealed record Request(string Kind, double At, double Seconds, int Status, string? Reason);
}
