using System.Text.Json;
using System.Text.RegularExpressions;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Functions;

/// <summary>
/// Keeps host.json and the function.json files honest against the running app: every declared HTTP route+method
/// is served, every app route is declared, and the queue/timer functions match the app's POST /{FunctionName}.
/// </summary>
public sealed class FunctionsConsistencyTests
{
    private sealed record Declared(string Name, string Route, string[] Methods);

    private static IEnumerable<(string Name, JsonElement Trigger, JsonElement[] Bindings)> Functions()
    {
        foreach (var dir in Directory.GetDirectories(RepositoryPaths.InRoot("functions")).Order())
        {
            var file = Path.Combine(dir, "function.json");
            Assert.True(File.Exists(file), $"{dir} has no function.json");
            var bindings = JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("bindings").EnumerateArray().ToArray();
            var trigger = bindings.Single(b => b.GetProperty("direction").GetString() == "in" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            yield return (Path.GetFileName(dir), trigger, bindings);
        }
    }

    private static List<Declared> DeclaredHttpFunctions() => Functions()
        .Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger")
        .Select(f => new Declared(
            f.Name,
            f.Trigger.GetProperty("route").GetString()!,
            f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray()))
        .ToList();

    private static async Task<List<(string Pattern, string[] Methods)>> AppRoutesAsync(FeedAppHost host)
    {
        await Task.CompletedTask;
        return host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                          Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.ToArray() ?? []))
            .ToList();
    }

    /// <summary>A function route covers an app route when every literal segment matches and parameters line up.</summary>
    private static bool Covers(string functionRoute, string appPattern)
    {
        var regex = "^/" + string.Join("/", functionRoute.Split('/').Select(segment =>
            segment.StartsWith("{*", StringComparison.Ordinal) ? ".+" :
            segment.StartsWith('{') ? "[^/]+" : Regex.Escape(segment))) + "/?$";
        return Regex.IsMatch(appPattern, regex, RegexOptions.IgnoreCase);
    }

    [Fact]
    public void Http_functions_are_proxyable_anonymous_http_in_http_out()
    {
        foreach (var (name, trigger, bindings) in Functions().Where(f => f.Trigger.GetProperty("type").GetString() == "httpTrigger"))
        {
            Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
            Assert.Equal(2, bindings.Length);
            Assert.Single(bindings, b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "out");
            Assert.False(trigger.GetProperty("route").GetString()!.StartsWith('/'), $"{name}: routes are relative to the (empty) prefix");
        }
    }

    [Fact]
    public async Task Every_app_route_is_declared_and_every_declared_route_is_served()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Events:LocalListener"] = "false" });
        var appRoutes = await AppRoutesAsync(host);
        var declared = DeclaredHttpFunctions();
        var nonHttp = Functions().Where(f => f.Trigger.GetProperty("type").GetString() != "httpTrigger").Select(f => "/" + f.Name).ToHashSet();

        foreach (var (pattern, methods) in appRoutes)
        {
            if (pattern == "/" || nonHttp.Contains(pattern))
            {
                continue; // GET / is the host's readiness probe on the handler port; POST /{FunctionName} are the non-HTTP functions.
            }

            foreach (var method in methods)
            {
                Assert.True(
                    declared.Any(d => d.Methods.Contains(method) && Covers(d.Route, pattern)),
                    $"App route {method} {pattern} is not declared in any function.json");
            }
        }

        foreach (var function in declared)
        {
            foreach (var method in function.Methods)
            {
                Assert.True(
                    appRoutes.Any(r => r.Methods.Contains(method) && Covers(function.Route, r.Pattern)),
                    $"Function {function.Name} declares {method} {function.Route} but the app serves no such route");
            }
        }
    }

    [Fact]
    public async Task Queue_and_timer_functions_match_the_apps_function_endpoints_and_settings()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Events:LocalListener"] = "false" });
        var appRoutes = await AppRoutesAsync(host);
        var functions = Functions().ToDictionary(f => f.Name);

        var queue = functions[FunctionEndpoints.ProcessPackageEvent].Trigger;
        Assert.Equal("queueTrigger", queue.GetProperty("type").GetString());
        Assert.Equal(FunctionEndpoints.QueueBindingName, queue.GetProperty("name").GetString());
        Assert.Equal(new FeedStorageOptions().EventsQueue, queue.GetProperty("queueName").GetString());
        Assert.Equal("AzureWebJobsStorage", queue.GetProperty("connection").GetString());
        Assert.Equal("timerTrigger", functions[FunctionEndpoints.SweepOutbox].Trigger.GetProperty("type").GetString());
        foreach (var name in functions.Values.Where(f => f.Trigger.GetProperty("type").GetString() != "httpTrigger").Select(f => f.Name))
        {
            Assert.Contains(appRoutes, r => r.Pattern == "/" + name && r.Methods.Contains("POST"));
        }
    }

    [Fact]
    public void Host_json_configures_the_custom_handler_as_the_app_expects()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("host.json")));
        var root = hostJson.RootElement;
        var handler = root.GetProperty("customHandler");
        var queues = root.GetProperty("extensions").GetProperty("queues");

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("FeedFunctions", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
        Assert.Equal(string.Empty, root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(new EventsOptions().MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.StartsWith("[4.", root.GetProperty("extensionBundle").GetProperty("version").GetString());
    }
}
