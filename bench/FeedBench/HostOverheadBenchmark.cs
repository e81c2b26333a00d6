using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedBench;

/// <summary>
/// (6) What the Functions host adds to one request: GET of the empty isolated app's one HTTP function through the
/// host (host routing, invocation over gRPC, proxying to the worker's Kestrel) against the same tiny GET answered by
/// a plain Kestrel endpoint on loopback. Requests alternate between the two, one at a time, on kept-alive connections.
/// </summary>
internal static class HostOverheadBenchmark
{
    public static async Task RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        var samples = context.Smoke ? 20 : 400;
        using var host = context.StartEmpty();
        await host.WaitReadyAsync("/api/ping", TimeSpan.FromSeconds(120));
        await using var kestrel = await StartKestrelAsync();
        var kestrelUrl = kestrel.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/ping";
        using var http = new HttpClient();
        var viaHost = new List<double>();
        var direct = new List<double>();
        for (var i = -20; i < samples; i++)
        {
            var hostMs = await TimeGetAsync(http, host.BaseUrl + "/api/ping", cancellationToken);
            var directMs = await TimeGetAsync(http, kestrelUrl, cancellationToken);
            if (i >= 0)
            {
                viaHost.Add(hostMs);
                direct.Add(directMs);
            }
        }

        context.Results.Add(new ResultRow(
            "6 host overhead",
            $"GET through the host to an empty function, median (n={samples}); floor: plain Kestrel GET",
            ResultTable.Ms(Stats.Median(viaHost)),
            ResultTable.Ms(Stats.Median(direct)),
            ResultTable.Ratio(Stats.Median(viaHost), Stats.Median(direct)),
            $"+{Stats.Median(viaHost) - Stats.Median(direct):F2} ms per request"));
        context.Results.Add(new ResultRow(
            "6 host overhead",
            "same, p95",
            ResultTable.Ms(Stats.P95(viaHost)),
            ResultTable.Ms(Stats.P95(direct)),
            ResultTable.Ratio(Stats.P95(viaHost), Stats.P95(direct)),
            "-"));
    }

    private static async Task<double> TimeGetAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<WebApplication> StartKestrelAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/ping", () => Results.Text("ok"));
        await app.StartAsync();
        return app;
    }
}
