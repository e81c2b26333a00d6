using System.Text.Json;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Events;

/// <summary>
/// The non-HTTP functions. The Functions host calls <c>POST /{FunctionName}</c> on the handler with a JSON envelope
/// (<c>Data</c> per input binding, <c>Metadata</c> with the trigger data); any non-2xx fails the invocation, which
/// for the queue trigger means a retry and, after maxDequeueCount, the poison queue.
/// </summary>
public static class FunctionEndpoints
{
    public const string ProcessPackageEvent = "ProcessPackageEvent";
    public const string SweepOutbox = "SweepOutbox";
    public const string QueueBindingName = "message";

    /// <summary>Queue messages are at most 64 KiB; the envelope adds metadata. Anything far larger is not from the host.</summary>
    private const long MaxEnvelopeBytes = 256 * 1024;

    public static void MapFunctionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/" + ProcessPackageEvent, ProcessAsync).WithName(ProcessPackageEvent);
        app.MapPost("/" + SweepOutbox, SweepAsync).WithName(SweepOutbox);
    }

    private static async Task<IResult> ProcessAsync(HttpContext context, PackageEventDispatcher dispatcher)
    {
        using var envelope = await ReadEnvelopeAsync(context);
        if (envelope is null)
        {
            return Invocation(StatusCodes.Status400BadRequest, ["The request is not a Functions invocation envelope."]);
        }

        var root = envelope.RootElement;
        if (!root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object || MessageText(data) is not { } messageText)
        {
            return Invocation(StatusCodes.Status400BadRequest, ["The envelope has no queue message in Data."]);
        }

        var metadata = root.TryGetProperty("Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var delivery = new PackageEventDelivery(StringMetadata(metadata, "Id"), LongMetadata(metadata, "DequeueCount") ?? 1);
        var outcome = await dispatcher.DispatchAsync(messageText, delivery, context.RequestAborted);
        return Invocation(outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError, outcome.Logs);
    }

    private static async Task<IResult> SweepAsync(HttpContext context, PackageEventOutbox outbox, IOptions<EventsOptions> options)
    {
        // The timer envelope carries only schedule info; nothing in it changes what the sweep does.
        using var envelope = await ReadEnvelopeAsync(context);
        var delivered = await outbox.SweepAsync(options.Value.SweepAge, context.RequestAborted);
        return Invocation(StatusCodes.Status200OK, [$"Outbox sweep delivered {delivered} pending event(s)."]);
    }

    private static IResult Invocation(int status, IReadOnlyList<string> logs) =>
        TypedResults.Json(FunctionInvocationResponse.FromLogs(logs), statusCode: status);

    private static async Task<JsonDocument?> ReadEnvelopeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxEnvelopeBytes)
        {
            return null;
        }

        try
        {
            using var bounded = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (bounded.Length + read > MaxEnvelopeBytes)
                {
                    return null;
                }

                bounded.Write(buffer, 0, read);
            }

            return bounded.Length == 0 ? JsonDocument.Parse("{}") : JsonDocument.Parse(bounded.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The host JSON-serializes string messages, but may pass a JSON message as an object: accept both.</summary>
    private static string? MessageText(JsonElement data)
    {
        if (!data.TryGetProperty(QueueBindingName, out var message))
        {
            var first = data.EnumerateObject().FirstOrDefault();
            message = first.Value;
        }

        return message.ValueKind switch
        {
            JsonValueKind.String => message.GetString(),
            JsonValueKind.Object => message.GetRawText(),
            _ => null,
        };
    }

    private static string? StringMetadata(JsonElement metadata, string name) =>
        metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(name, out var value) ? value.ToString() : null;

    private static long? LongMetadata(JsonElement metadata, string name) =>
        long.TryParse(StringMetadata(metadata, name), out var number) ? number : null;
}
