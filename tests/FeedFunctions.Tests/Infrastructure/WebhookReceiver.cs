using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>A loopback HTTP endpoint that records webhook deliveries and fails the first N (or all) of them.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _attempts;

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    public int FailFirst { get; set; }

    public bool AlwaysFail { get; set; }

    /// <summary>When set, answers every request with a redirect to this URL.</summary>
    public string? RedirectTo { get; set; }

    public int Attempts => _attempts;

    public ConcurrentQueue<WebhookDelivery> Delivered { get; } = new();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var attempt = Interlocked.Increment(ref receiver._attempts);
            if (receiver.RedirectTo is { } target)
            {
                return Results.Redirect(target, permanent: false, preserveMethod: true);
            }

            if (receiver.AlwaysFail || attempt <= receiver.FailFirst)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            receiver.Delivered.Enqueue(new WebhookDelivery(
                body.ToArray(),
                context.Request.Headers["X-Feed-Signature"].ToString(),
                context.Request.Headers["X-Feed-Event-Id"].ToString(),
                context.Request.Headers["X-Feed-Event-Type"].ToString()));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record WebhookDelivery(byte[] Body, string Signature, string EventId, string EventType);
