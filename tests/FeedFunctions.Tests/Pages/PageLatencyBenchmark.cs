using System.Diagnostics;
using System.Globalization;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Pages;

/// <summary>
/// Page latency on a feed of 1,000 packages through the Functions host, against each page's V3 twin measured in
/// the same run, alternating, so machine load hits both alike (only the ratios travel between machines). Not a
/// test of correctness and not run by CI (filter <c>Category!=Benchmark</c>); run it with
/// <c>dotnet test --filter Category=Benchmark --logger "console;verbosity=detailed"</c>. Method and results:
/// docs/benchmarks.md, "Pages".
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class PageLatencyBenchmark(ITestOutputHelper output)
{
    private const int Packages = 1000;
    private const int Warmup = 10;
    private const int Samples = 60;
    private const string TargetId = "Contoso.Bench.Target";

    [HostFact]
    public async Task Page_latency_against_the_v3_twins_on_a_feed_of_1000_packages()
    {
        await using var host = await FunctionsHost.StartAsync();
        var seeding = Stopwatch.StartNew();
        await SeedAsync(host);
        output.WriteLine($"seeded {Packages} packages in {seeding.Elapsed.TotalSeconds:F1} s");

        var rows = new List<string>();
        rows.Add(await CompareAsync(host, "home, all packages (page 1 of 50)", ["/"], ["/v3/search?take=20&semVerLevel=2.0.0"]));
        rows.Add(await CompareAsync(host, "home, search \"bench.0042\"", ["/packages?q=bench.0042"], ["/v3/search?q=bench.0042&take=20&semVerLevel=2.0.0"]));
        rows.Add(await CompareAsync(
            host,
            "package page (10 versions, readme)",
            [$"/packages/{TargetId}/1.0.9"],
            [$"/v3/registration/{TargetId.ToLowerInvariant()}/index.json", $"/v3/flatcontainer/{TargetId.ToLowerInvariant()}/1.0.9/readme"]));
        rows.Add(await CompareAsync(
            host,
            "package page vs registration index alone",
            [$"/packages/{TargetId}/1.0.9"],
            [$"/v3/registration/{TargetId.ToLowerInvariant()}/index.json"]));

        output.WriteLine("| page | page p50 / p95 | V3 twin p50 / p95 | ratio p50 |");
        output.WriteLine("|---|---|---|---|");
        foreach (var row in rows)
        {
            output.WriteLine(row);
        }
    }

    private static async Task SeedAsync(FunctionsHost host)
    {
        var readme = "# Bench\n\n" + string.Concat(Enumerable.Repeat("Some text with **markdown**, `code` and [a link](https://contoso.example).\n\n", 40));
        var packages = Enumerable.Range(0, Packages - 1)
            .Select(i => TestPackage.Create($"Contoso.Bench.{i:0000}", "1.0.0")
                .WithDescription($"Benchmark package number {i}.")
                .WithMetadata("tags", "bench sample")
                .WithMetadata("readme", "README.md").WithFile("README.md", readme))
            .Concat(Enumerable.Range(0, 10).Select(v => TestPackage.Create(TargetId, $"1.0.{v}")
                .WithMetadata("readme", "README.md").WithFile("README.md", readme)
                .WithDependency("net10.0", "Contoso.Bench.0001", "1.0.0")))
            .ToList();
        await Parallel.ForEachAsync(packages, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (package, _) => await ReadSideHttp.PushAsync(host, package));
    }

    /// <summary>Alternates page and twin (a twin of several requests is timed as their sequence, as a client would fetch them).</summary>
    private async Task<string> CompareAsync(FunctionsHost host, string name, string[] page, string[] twin)
    {
        var pageTimes = new List<double>();
        var twinTimes = new List<double>();
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var p = await TimeAsync(host, page);
            var t = await TimeAsync(host, twin);
            if (i >= Warmup)
            {
                pageTimes.Add(p);
                twinTimes.Add(t);
            }
        }

        var (p50, p95, t50, t95) = (Percentile(pageTimes, 0.5), Percentile(pageTimes, 0.95), Percentile(twinTimes, 0.5), Percentile(twinTimes, 0.95));
        var row = string.Create(CultureInfo.InvariantCulture, $"| {name} | {p50:F1} / {p95:F1} ms | {t50:F1} / {t95:F1} ms | {p50 / t50:F2}x |");
        output.WriteLine(row);
        return row;
    }

    private static async Task<double> TimeAsync(FunctionsHost host, string[] paths)
    {
        var watch = Stopwatch.StartNew();
        foreach (var path in paths)
        {
            using var response = await host.Client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
