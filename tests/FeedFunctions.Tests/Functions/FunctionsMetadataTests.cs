using System.Text.Json;
using FeedFunctions.Events;
using FeedFunctions.Pages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Functions;

/// <summary>
/// What the Worker SDK generates from the function attributes (functions.metadata in the build output) is what the
/// host serves: every route the feed promises, the queue trigger, the timer; and host.json is an isolated-worker
/// host.json. The in-process test host maps the very same HTTP functions.
/// </summary>
public sealed class FunctionsMetadataTests
{
    /// <summary>The feed's public surface: function, methods, route (relative to the empty route prefix).</summary>
    private static readonly (string Name, string Methods, string Route)[] ExpectedHttp =
    [
        ("PushPackage", "PUT", "api/v2/package"),
        ("DeletePackage", "DELETE", "api/v2/package/{id}/{version}"),
        ("RelistPackage", "POST", "api/v2/package/{id}/{version}"),
        ("DownloadPackage", "GET,HEAD", "api/v2/package/{id}/{version}"),
        ("PushSymbolPackage", "PUT", "api/v2/symbolpackage"),
        ("ExchangeToken", "POST", "api/v2/token"),
        ("Health", "GET,HEAD", "api/health"),
        ("ServiceIndex", "GET,HEAD", "v3/index.json"),
        ("PackageVersions", "GET,HEAD", "v3/flatcontainer/{id}/index.json"),
        ("PackageContent", "GET,HEAD", "v3/flatcontainer/{id}/{version}/{file}"),
        ("RegistrationIndex", "GET,HEAD", "v3/registration/{id}/index.json"),
        ("RegistrationPage", "GET,HEAD", "v3/registration/{id}/page/{lower}/{upper}.json"),
        ("RegistrationLeaf", "GET,HEAD", "v3/registration/{id}/{version}.json"),
        ("Search", "GET,HEAD", "v3/search"),
        ("Autocomplete", "GET,HEAD", "v3/autocomplete"),
        ("HomePage", "GET,HEAD", "packages"),
        ("PackagePage", "GET,HEAD", "packages/{id}"),
        ("PackageVersionPage", "GET,HEAD", "packages/{id}/{version}"),
        ("PageAsset", "GET,HEAD", "assets/{name}"),
        ("SymbolDownload", "GET,HEAD", "download/symbols/{file}/{key}/{fileAgain}"),
        ("VulnerabilityIndex", "GET,HEAD", "v3/vulnerabilities/index.json"),
        ("VulnerabilityPage", "GET,HEAD", "v3/vulnerabilities/base.json"),
        ("DeprecateVersions", "PUT", "api/v2/package/{id}/{version}/deprecation"),
        ("UndeprecateVersions", "DELETE", "api/v2/package/{id}/{version}/deprecation"),
        ("AddAdvisory", "POST", "api/v2/advisories"),
        ("ListAdvisories", "GET", "api/v2/advisories"),
        ("RemoveAdvisory", "DELETE", "api/v2/advisories/{advisoryId}"),
        (PageFunctions.FallbackName, "GET,HEAD", "{*path}"),
    ];

    private static JsonElement[] Metadata()
    {
        var file = Path.Combine(FunctionsHost.AppFolder(), "functions.metadata");
        Assert.True(File.Exists(file), $"{file} is missing: the Worker SDK generates it on build");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().ToArray();
    }

    private static JsonElement Trigger(JsonElement function) =>
        function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public void Every_http_route_is_an_anonymous_function_with_its_methods()
    {
        var http = Metadata().Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger")
            .ToDictionary(f => f.GetProperty("name").GetString()!, Trigger);

        Assert.Equal(ExpectedHttp.Select(e => e.Name).Order(), http.Keys.Order());
        foreach (var (name, methods, route) in ExpectedHttp)
        {
            var trigger = http[name];
            Assert.Equal(route, trigger.GetProperty("route").GetString());
            Assert.Equal(methods, string.Join(',', trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())));
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        }
    }

    /// <summary>
    /// The host tries routes in the order of the functions' names, first match wins (see PageFunctions): the
    /// catch-all must come after every other HTTP function in any ordering the host might use.
    /// </summary>
    [Fact]
    public void The_catch_all_page_is_named_to_be_tried_after_every_other_route()
    {
        var others = Metadata().Where(f => Trigger(f).GetProperty("type").GetString() == "httpTrigger")
            .Select(f => f.GetProperty("name").GetString()!)
            .Where(name => name != PageFunctions.FallbackName)
            .ToList();

        Assert.Equal(ExpectedHttp.Length - 1, others.Count);
        foreach (var comparer in new[] { StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture, StringComparer.InvariantCultureIgnoreCase })
        {
            Assert.All(others, name => Assert.True(comparer.Compare(name, PageFunctions.FallbackName) < 0, $"{name} sorts after the catch-all"));
        }
    }

    [Fact]
    public void The_in_process_host_maps_exactly_the_http_functions_of_the_metadata()
    {
        var mapped = FunctionRoutes.All.Select(f => $"{f.Name} {string.Join(',', f.Methods)} {f.Route}").Order();

        Assert.Equal(ExpectedHttp.Select(e => $"{e.Name} {e.Methods} {e.Route}").Order(), mapped);
    }

    [Fact]
    public void The_queue_trigger_reads_the_events_queue_the_timer_sweeps_on_its_setting_and_trusted_publishing_prunes_hourly()
    {
        var functions = Metadata().ToDictionary(f => f.GetProperty("name").GetString()!, Trigger);

        var queue = functions[nameof(EventFunctions.ProcessPackageEvent)];
        Assert.Equal("queueTrigger", queue.GetProperty("type").GetString());
        Assert.Equal(EventFunctions.EventsQueue, queue.GetProperty("queueName").GetString());
        Assert.Equal(EventFunctions.EventsQueue, new FeedFunctions.Feed.FeedStorageOptions().EventsQueue);
        var timer = functions[nameof(EventFunctions.SweepOutbox)];
        Assert.Equal("timerTrigger", timer.GetProperty("type").GetString());
        Assert.Equal(EventFunctions.DefaultSweepSchedule, timer.GetProperty("schedule").GetString());
        var prune = functions[nameof(FeedFunctions.TrustedPublishing.TrustedPublishingFunctions.PruneTrustedPublishing)];
        Assert.Equal("timerTrigger", prune.GetProperty("type").GetString());
        Assert.Equal("0 17 * * * *", prune.GetProperty("schedule").GetString());
        var retention = functions[nameof(FeedFunctions.Retention.RetentionFunctions.ApplyRetention)];
        Assert.Equal("timerTrigger", retention.GetProperty("type").GetString());
        Assert.Equal(FeedFunctions.Retention.RetentionFunctions.Schedule, retention.GetProperty("schedule").GetString());
        Assert.Equal(ExpectedHttp.Length + 4, functions.Count); // the HTTP functions, the queue trigger and three timers
    }

    [Fact]
    public void The_build_output_is_an_isolated_worker_app()
    {
        var folder = FunctionsHost.AppFolder();
        using var workerConfig = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")));

        Assert.Equal("FeedFunctions.dll", workerConfig.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
        Assert.True(Directory.Exists(Path.Combine(folder, ".azurefunctions")), "the host-side extensions (queue, timer, HTTP proxying)");
        Assert.True(File.Exists(Path.Combine(folder, "host.json")));
        Assert.False(File.Exists(Path.Combine(folder, "local.settings.json")), "local settings must not reach the build output the tests serve");
    }

    [Fact]
    public void Host_json_is_an_isolated_worker_host_json_with_the_feeds_queue_settings()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("host.json")));
        var root = hostJson.RootElement;
        var queues = root.GetProperty("extensions").GetProperty("queues");

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.False(root.TryGetProperty("customHandler", out _));
        Assert.False(root.TryGetProperty("extensionBundle", out _), "isolated workers ship their extensions in .azurefunctions");
        Assert.Equal(string.Empty, root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
    }
}
