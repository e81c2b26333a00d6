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

/// <summary>
/// A loopback HTTP endpoint that records webhook deliveries and fails the first N (or all) of them, overall or per
/// package id (so tests sharing one feed and one receiver can each script their own failures).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _attempts;
    private readonly ConcurrentDictionary<string, int> _attemptsById = new(StringComparer.OrdinalIgnoreCase);

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = string.Empty;

    public int FailFirst { get; set; }

    public bool AlwaysFail { get; set; }

    /// <summary>When set, answers every request with a redirect to this URL.</summary>
    public string? RedirectTo { get; set; }

    public int Attempts => _attempts;

    /// <summary>Package id → how many deliveries of its events to refuse first (503); int.MaxValue = all.</summary>
    public ConcurrentDictionary<string, int> FailFirstFor { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int AttemptsFor(string packageId) => _attemptsById.GetValueOrDefault(packageId);

    public IReadOnlyList<WebhookDelivery> DeliveredFor(string packageId) =>
        Delivered.Where(d => string.Equals(FeedFunctions.Events.PackageEventJson.Deserialize(System.Text.Encoding.UTF8.GetString(d.Body))?.PackageId, packageId, StringComparison.OrdinalIgnoreCase)).ToList();

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
            var packageId = FeedFunctions.Events.PackageEventJson.Deserialize(System.Text.Encoding.UTF8.GetString(body.ToArray()))?.PackageId ?? string.Empty;
            var attemptForId = receiver._attemptsById.AddOrUpdate(packageId, 1, (_, n) => n + 1);
            if (receiver.RedirectTo is { } target)
            {
                return Results.Redirect(target, permanent: false, preserveMethod: true);
            }

            if (receiver.AlwaysFail || attempt <= receiver.FailFirst || attemptForId <= receiver.FailFirstFor.GetValueOrDefault(packageId))
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
