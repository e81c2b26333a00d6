using System.CommandLine;
using System.Diagnostics;
using FeedBench;

// End-to-end benchmarks of the feed against a floor measured in the same run. bench/run.sh builds, publishes,
// starts Azurite and calls this; see docs/benchmarks.md.
var connection = new Option<string>("--connection") { Description = "Storage connection string (Azurite).", Required = true };
var app = new Option<string>("--app") { Description = "The feed's publish folder (scripts/publish.sh).", Required = true };
var emptyApp = new Option<string>("--empty-app") { Description = "bench/EmptyFunctionApp's publish folder.", Required = true };
var func = new Option<string>("--func") { Description = "func (Core Tools, or the host launcher with its start options).", Required = true };
var smoke = new Option<bool>("--smoke") { Description = "Run each benchmark minimally (seconds), only to prove it works." };
var only = new Option<string[]>("--only")
{
    Description = "Run only these: latency, throughput, restore, memory, coldstart, hostoverhead; searchscale (seeds up to 100k versions), retention, sustained and soak run only when named.",
    AllowMultipleArgumentsPerToken = true,
};
var markdown = new Option<string?>("--markdown") { Description = "Also write the table to this file." };
var maxSize = new Option<int?>("--max-size-mb") { Description = "Skip push latency sizes above this many MB (for quick profiling runs)." };
var phases = new Option<bool>("--phases") { Description = "Also report the app's own per-phase push timings (median) for each latency size." };
var pushes = new Option<int>("--pushes") { Description = "sustained: how many pushes in all.", DefaultValueFactory = _ => 20_000 };
var clients = new Option<int[]>("--clients") { Description = "sustained: concurrent clients (one run per value).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [8, 32] };
var soakMinutes = new Option<double>("--soak-minutes") { Description = "soak: how long the mixed load runs.", DefaultValueFactory = _ => 30 };
var defaultLogs = new Option<bool>("--default-log-levels") { Description = "sustained: run the feed with the log levels a user gets (not Warning)." };
var searchVersions = new Option<int[]>("--search-versions")
{
    Description = "searchscale: the feed sizes (versions, cumulative, ascending) at which reads are timed; the first is the baseline.",
    AllowMultipleArgumentsPerToken = true,
};
var searchVersionsPerId = new Option<int>("--search-versions-per-id") { Description = "searchscale: versions per package id.", DefaultValueFactory = _ => 25 };
var searchReads = new Option<int>("--search-reads") { Description = "searchscale: timed reads per shape and level (p50).", DefaultValueFactory = _ => 15 };
var monthDays = new Option<int?>("--month-days") { Description = "Retention month: simulated days (default 30; smoke 2)." };
var monthIds = new Option<int?>("--month-ids") { Description = "Retention month: package ids pushing in parallel (default 10; smoke 2)." };
var monthPerDay = new Option<int?>("--month-per-day") { Description = "Retention month: prerelease pushes per id per day (default 20; smoke 5)." };
var monthKb = new Option<int?>("--month-package-kb") { Description = "Retention month: package size in KB (default 100)." };
var monthKeep = new Option<int?>("--month-keep") { Description = "Retention month: Feed__Retention__MaxPrereleaseVersionsPerId when on (default 10; smoke 3)." };
var root = new RootCommand("Feed benchmarks: push latency, throughput, memory, restore, cold start, search scale, retention, sustained load, soak.")
{
    connection, app, emptyApp, func, smoke, only, markdown, phases, maxSize, searchVersions, searchVersionsPerId, searchReads, pushes, clients, defaultLogs, soakMinutes,
    monthDays, monthIds, monthPerDay, monthKb, monthKeep,
};
root.SetAction(async (result, cancellationToken) =>
{
    var selected = result.GetValue(only) is { Length: > 0 } names
        ? names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.OrdinalIgnoreCase)
        : ["latency", "throughput", "restore", "memory", "coldstart", "hostoverhead"];
    var isSmoke = result.GetValue(smoke);
    var connectionString = result.GetRequiredValue(connection);
    var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
    var context = new BenchContext
    {
        ConnectionString = connectionString,
        Func = result.GetRequiredValue(func),
        FeedFolder = Path.GetFullPath(result.GetRequiredValue(app)),
        EmptyFolder = Path.GetFullPath(result.GetRequiredValue(emptyApp)),
        Smoke = isSmoke,
        Phases = result.GetValue(phases),
        OutputFolder = Path.GetFullPath(Path.Combine(result.GetRequiredValue(app), "..", "..")),
        DefaultLogLevels = result.GetValue(defaultLogs),
        MaxLatencyBytes = (result.GetValue(maxSize) ?? int.MaxValue / (1024 * 1024)) * 1024L * 1024,
        Prefix = prefix,
        ApiKey = "bench-" + Guid.NewGuid().ToString("N"),
        Raw = new RawStorage(connectionString, prefix),
        Packages = new BenchPackages(isSmoke ? 21 * 1024 * 1024 : 201 * 1024 * 1024),
    };
    await context.Raw.InitializeAsync(cancellationToken);
    await using var stalls = new StallMonitor(context.Raw);

    var total = Stopwatch.StartNew();
    if (selected.Overlaps(["latency", "throughput", "restore"]))
    {
        // One long-lived host for the request benchmarks, as an instance serving CI pushes would be.
        using var feedApp = context.StartFeed(context.Phases);
        await feedApp.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));
        using var feed = new FeedClient(feedApp.BaseUrl, context.ApiKey);
        try
        {
            await Step("latency", () => PushLatencyBenchmark.RunAsync(context, feed, feedApp, stalls, cancellationToken));
            await Step("throughput", () => ThroughputBenchmark.RunAsync(context, feed, stalls, cancellationToken));
            await Step("restore", () => RestoreBenchmark.RunAsync(context, feed, cancellationToken));
        }
        catch (InvalidOperationException)
        {
            // A feed that answered wrongly: what the host and worker said last is the lead.
            Console.Error.WriteLine($"The host's last lines:\n{feedApp.Output}");
            throw;
        }
    }

    foreach (var count in selected.Contains("sustained") ? result.GetValue(clients) ?? [] : [])
    {
        await Step("sustained", () => SustainedPushBenchmark.RunAsync(context, isSmoke ? 200 : result.GetValue(pushes), count, cancellationToken));
    }

    await Step("soak", () => FeedBench.Soak.SoakBenchmark.RunAsync(context, isSmoke ? 1 : result.GetValue(soakMinutes), cancellationToken));
    if (selected.Contains("searchscale"))
    {
        // A host of its own with the queue trigger's default polling (2 s), so 201 -> searchable is measured as deployed.
        var environment = context.FeedEnvironment;
        environment.Remove("AzureFunctionsJobHost__extensions__queues__maxPollingInterval");
        using var searchApp = HostProcess.Start(context.Func, context.FeedFolder, "FeedFunctions.dll", environment);
        await searchApp.WaitReadyAsync("/api/health", TimeSpan.FromSeconds(120));
        using var feed = new FeedClient(searchApp.BaseUrl, context.ApiKey);
        var levels = result.GetValue(searchVersions) is { Length: > 0 } given ? given : isSmoke ? [200, 400] : [1_000, 20_000, 100_000];
        await Step("searchscale", () => SearchScaleBenchmark.RunAsync(
            context, feed, levels, Math.Max(1, result.GetValue(searchVersionsPerId)), Math.Max(1, result.GetValue(searchReads)), cancellationToken));
    }

    await Step("memory", () => MemoryBenchmark.RunAsync(context, cancellationToken));
    await Step("coldstart", () => ColdStartBenchmark.RunAsync(context, cancellationToken));
    await Step("hostoverhead", () => HostOverheadBenchmark.RunAsync(context, cancellationToken));
    var month = new RetentionMonth(
        result.GetValue(monthDays) ?? (isSmoke ? 2 : 30),
        result.GetValue(monthIds) ?? (isSmoke ? 2 : 10),
        result.GetValue(monthPerDay) ?? (isSmoke ? 5 : 20),
        (result.GetValue(monthKb) ?? 100) * 1024,
        result.GetValue(monthKeep) ?? (isSmoke ? 3 : 10),
        isSmoke ? 3 : 30);
    await Step("retention", () => RetentionBenchmark.RunAsync(context, month, cancellationToken));

    context.Notes.Add($"Azurite stall windows seen during the run (probe slower than {StallMonitor.StallThreshold.TotalMilliseconds:F0} ms): {stalls.Count}");
    var table = context.Results.ToMarkdown() + string.Concat(context.Notes.Select(n => $"\n* {n}")) + "\n";
    Console.WriteLine();
    Console.WriteLine($"Feed benchmarks{(isSmoke ? " (smoke: too few samples to mean anything)" : string.Empty)}, {total.Elapsed.TotalSeconds:F0} s, {Environment.ProcessorCount} cores");
    Console.WriteLine(table);
    if (result.GetValue(markdown) is { Length: > 0 } path)
    {
        await File.WriteAllTextAsync(path, table, cancellationToken);
    }

    return 0;

    async Task Step(string name, Func<Task> run)
    {
        if (!selected.Contains(name))
        {
            return;
        }

        var watch = Stopwatch.StartNew();
        Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {name}...");
        await run();
        Console.Error.WriteLine($"[{total.Elapsed:mm\\:ss}] {name} done in {watch.Elapsed.TotalSeconds:F0} s");
    }
});
return await root.Parse(args).InvokeAsync();
