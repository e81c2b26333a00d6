using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using FeedFunctions.Feed;
using FeedFunctions.Hosting;
using FeedFunctions.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedBench;

/// <summary>
/// (7) Search-shaped reads as the feed grows (issue 19): versions are pushed through the host by 8 clients (CI-like:
/// <c>--search-versions-per-id</c> versions per id, nine prereleases to a stable one), the events index them, then
/// the p50 of each read through the host is taken at every level (cumulative, one run), with the storage requests
/// each read costs (counted by an Azure SDK pipeline policy in the app's own services, in this process, against the
/// same storage: a stale copy refreshing on every read, the worst case) next to what the old table scan costs. At
/// the last level: how soon a push is searchable after its 201 while 8 clients push.
/// </summary>
internal static class SearchScaleBenchmark
{
    private const int Clients = 8;
    private const int PackageBytes = 2 * 1024;

    public static async Task RunAsync(BenchContext context, FeedClient feed, IReadOnlyList<int> levels, int versionsPerId, int reads, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri(feed.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var prefix = $"Bench.S{context.RunTag}.Lib";
        var term = "lib0000";
        (string Name, string Path)[] shapes =
        [
            ("search, empty query", "/v3/search?take=20&semVerLevel=2.0.0"),
            ($"search for a term ({term})", $"/v3/search?q={term}&take=20&prerelease=true&semVerLevel=2.0.0"),
            ("autocomplete", $"/v3/autocomplete?q={term}&take=20&prerelease=true&semVerLevel=2.0.0"),
            ("home page", "/"),
            ($"/packages?q={term}", $"/packages?q={term}"),
        ];
        var first = new Dictionary<string, double>();
        var seeded = 0;
        foreach (var level in levels)
        {
            var watch = Stopwatch.StartNew();
            await SeedAsync(context, feed, prefix, seeded, level, versionsPerId, cancellationToken);
            seeded = level;
            var last = Version(level - 1, versionsPerId);
            await WaitSearchableAsync(http, Id(prefix, (level - 1) / versionsPerId), last.Split('+')[0], TimeSpan.FromMinutes(30), cancellationToken);
            Console.Error.WriteLine($"  seeded {level} versions in {watch.Elapsed.TotalSeconds:F0} s (indexed)");

            var requests = await CountRequestsAsync(context, term, cancellationToken);
            foreach (var (name, path) in shapes)
            {
                var p50 = await MedianAsync(http, path, reads, cancellationToken);
                first.TryAdd(name, p50);
                var ratio = p50 / first[name];
                var goal = level == levels[0] ? "-"
                    : level >= 20_000 ? (ratio <= 1.3 && (level != 20_000 || p50 <= 25) ? "met" : "NOT met") + (level == 20_000 ? " (<= 1.3x, <= 25 ms)" : " (<= 1.3x)")
                    : ratio <= 1.3 ? "<= 1.3x" : "> 1.3x";
                context.Results.Add(new ResultRow(
                    "7 search scale", $"{level:N0} versions: {name}", Ms(p50), $"{Ms(first[name])} at {levels[0]:N0}",
                    ratio.ToString("F2", CultureInfo.InvariantCulture) + "x", goal));
            }

            context.Notes.Add($"search scale at {level:N0} versions ({level / versionsPerId:N0} ids): storage requests per read {requests}");
        }

        var (p50Lag, p99Lag, samples) = await VisibilityAsync(context, feed, http, $"Bench.V{context.RunTag}.Lib", context.Smoke ? 2 : 10, cancellationToken);
        context.Results.Add(new ResultRow(
            "7 search scale", $"201 -> searchable, 8 clients pushing ({samples} pushes at {seeded:N0} versions)",
            $"p50 {Ms(p50Lag)}, p99 {Ms(p99Lag)}", "-", "-", p99Lag <= 5000 ? "<= 5 s p99: met" : "<= 5 s p99: NOT met"));
    }

    private static string Id(string prefix, int index) => $"{prefix}{index.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>Nine CI prereleases, then a stable version, per minor: 1.{n/10}.0-ci.{n%10} ... 1.{n/10}.0.</summary>
    private static string Version(int index, int versionsPerId)
    {
        var n = index % versionsPerId;
        return n % 10 == 9 ? $"1.{n / 10}.0" : $"1.{n / 10}.0-ci.{n % 10}";
    }

    private static async Task SeedAsync(BenchContext context, FeedClient feed, string prefix, int from, int to, int versionsPerId, CancellationToken cancellationToken)
    {
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var index = Interlocked.Increment(ref next); index < to; index = Interlocked.Increment(ref next))
            {
                var id = Id(prefix, index / versionsPerId);
                await feed.PushAsync(context.Packages.Build(id, Version(index, versionsPerId), PackageBytes), cancellationToken);
            }
        }, cancellationToken)));
    }

    private static async Task WaitSearchableAsync(HttpClient http, string id, string version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await IsSearchableAsync(http, id, version, cancellationToken))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{id} {version} was not searchable within {timeout}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private static async Task<bool> IsSearchableAsync(HttpClient http, string id, string version, CancellationToken cancellationToken)
    {
        var json = JsonNode.Parse(await http.GetStringAsync($"/v3/search?q={id}&prerelease=true&semVerLevel=2.0.0&take=5", cancellationToken))!;
        return json["data"]!.AsArray().Any(hit => string.Equals(hit!["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase)
            && hit["versions"]!.AsArray().Any(v => v!["version"]!.GetValue<string>().Split('+')[0] == version));
    }

    private static async Task<double> MedianAsync(HttpClient http, string path, int reads, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3; i++)
        {
            await GetAsync(http, path, cancellationToken);
        }

        var samples = new List<double>();
        for (var i = 0; i < reads; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await GetAsync(http, path, cancellationToken);
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Stats.Median(samples);
    }

    private static async Task GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    /// <summary>
    /// The app's own search over the same storage, in this process, with a counting policy in its storage clients:
    /// the first read of an instance (loads the index), a read whose copy is stale (refresh interval 0: one request
    /// each, the most a read costs), and the old table scan for comparison.
    /// </summary>
    private static async Task<string> CountRequestsAsync(BenchContext context, string term, CancellationToken cancellationToken)
    {
        var counter = new StorageRequestCounter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = context.ConnectionString,
            ["Feed:Search:RefreshInterval"] = "00:00:00",
            ["Feed:Search:BuildOnStart"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)).AddSingleton<IConfiguration>(configuration);
        services.AddFeed(configuration);
        services.AddSingleton<HttpPipelinePolicy>(counter);
        await using var provider = services.BuildServiceProvider();
        var search = provider.GetRequiredService<PackageSearchService>();
        var query = SearchQuery.Parse(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["q"] = term, ["prerelease"] = "true", ["semVerLevel"] = "2.0.0" }));
        var empty = SearchQuery.Parse(new QueryCollection());

        async Task<int> CountAsync(Func<Task> read)
        {
            var before = counter.Count;
            await read();
            return counter.Count - before;
        }

        var load = await CountAsync(() => search.SearchAsync(empty, cancellationToken));
        int[] perRead =
        [
            await CountAsync(() => search.SearchAsync(empty, cancellationToken)),
            await CountAsync(() => search.SearchAsync(query, cancellationToken)),
            await CountAsync(() => search.AutocompleteIdsAsync(query, term, cancellationToken)),
        ];
        var scan = await CountAsync(() => provider.GetRequiredService<PackageRowQueries>().ScanAllAsync(cancellationToken));
        return $"{string.Join("/", perRead)} (search empty/term/autocomplete, stale copy; 0 when fresh), first read of an instance {load}, old table scan {scan}";
    }

    /// <summary>8 clients push; each push's time from its 201 until free-text search lists the version.</summary>
    private static async Task<(double P50, double P99, int Samples)> VisibilityAsync(
        BenchContext context, FeedClient feed, HttpClient http, string prefix, int perClient, CancellationToken cancellationToken)
    {
        var lags = new System.Collections.Concurrent.ConcurrentBag<double>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < perClient; i++)
            {
                var id = Id(prefix, client);
                var version = $"1.0.{i}";
                await feed.PushAsync(context.Packages.Build(id, version, PackageBytes), cancellationToken);
                var acknowledged = Stopwatch.GetTimestamp();
                await WaitSearchableAsync(http, id, version, TimeSpan.FromSeconds(60), cancellationToken);
                lags.Add(Stopwatch.GetElapsedTime(acknowledged).TotalMilliseconds);
            }
        }, cancellationToken)));
        var samples = lags.ToArray();
        return (Stats.Median(samples), Stats.Percentile(samples, 99), samples.Length);
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "F1" : "F0", CultureInfo.InvariantCulture) + " ms";
}
