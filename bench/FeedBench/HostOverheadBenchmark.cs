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
/// (6) What the Functions host adds to one request: the empty isolated app's functions through the host (host
/// routing, invocation over gRPC, proxying to the worker's Kestrel) against the same request answered by a plain
/// Kestrel endpoint on loopback: a tiny GET, and a 10 KB chunked multipart PUT read to its end (a small push's shape).
/// Requests alternate between the two, one at a time, on kept-alive connections.
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
        var putViaHost = new List<double>();
        var putDirect = new List<double>();
        var body = new byte[10 * 1024];
        for (var i = -20; i < samples; i++)
        {
            var hostMs = await TimeGetAsync(http, host.BaseUrl + "/api/ping", cancellationToken);
            var directMs = await TimeGetAsync(http, kestrelUrl, cancellationToken);
            var hostPutMs = await TimePutAsync(http, host.BaseUrl + "/api/sink", body, cancellationToken);
            var directPutMs = await TimePutAsync(http, kestrelUrl.Replace("/ping", "/sink", StringComparison.Ordinal), body, cancellationToken);
            if (i >= 0)
            {
                viaHost.Add(hostMs);
                direct.Add(directMs);
                putViaHost.Add(hostPutMs);
                putDirect.Add(directPutMs);
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
        context.Results.Add(new ResultRow(
            "6 host overhead",
            $"10 KB chunked multipart PUT read to its end, through the host vs plain Kestrel, median (n={samples})",
            ResultTable.Ms(Stats.Median(putViaHost)),
            ResultTable.Ms(Stats.Median(putDirect)),
            ResultTable.Ratio(Stats.Median(putViaHost), Stats.Median(putDirect)),
            $"+{Stats.Median(putViaHost) - Stats.Median(putDirect):F2} ms per request"));
    }

    private static async Task<double> TimePutAsync(HttpClient http, string url, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent { { new ByteArrayContent(body), "package", "package.nupkg" } };
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var started = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
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
        app.MapPut("/sink", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.StatusCode(StatusCodes.Status201Created);
        });
        await app.StartAsync();
        return app;
    }
}
