using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FeedBench.Soak;

/// <summary>The feed's webhook target during the soak: records every delivery (event id, type, id, version).</summary>
internal sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookSink(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>Deliveries per event id (more than one: a redelivery, which handlers must tolerate).</summary>
    public ConcurrentDictionary<string, int> Deliveries { get; } = new();

    /// <summary>"type id version" of every distinct event.</summary>
    public ConcurrentDictionary<string, string> Events { get; } = new();

    public static async Task<WebhookSink> StartAsync()
    {
        var port = HostProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new WebhookSink(app, $"http://127.0.0.1:{port}/hook");
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var json = await JsonNode.ParseAsync(request.Body);
            var id = json?["eventId"]?.GetValue<string>() ?? string.Empty;
            sink.Deliveries.AddOrUpdate(id, 1, (_, n) => n + 1);
            sink.Events[id] = $"{json?["type"]} {json?["packageId"]?.GetValue<string>().ToLowerInvariant()} {json?["version"]?.GetValue<string>().ToLowerInvariant()}";
            return Results.Ok();
        });
        await app.StartAsync();
        return sink;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
