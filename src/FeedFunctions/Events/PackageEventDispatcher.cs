namespace FeedFunctions.Events;

/// <summary>
/// Runs every handler for an event. One failing handler does not stop the others, but any failure fails the
/// invocation (the queue retries the whole event; handlers de-duplicate on the event id).
/// </summary>
public sealed class PackageEventDispatcher(IEnumerable<IPackageEventHandler> handlers, TimeProvider time, IConfiguration configuration, ILogger<PackageEventDispatcher> logger)
{
    /// <summary>The host's attempts per message (host.json <c>queues.maxDequeueCount</c>, overridable as an app setting).</summary>
    private long MaxDequeueCount => configuration.GetValue<long?>("AzureFunctionsJobHost:extensions:queues:maxDequeueCount") ?? 5;

    private readonly IPackageEventHandler[] _handlers = handlers.ToArray();

    public async Task<PackageEventOutcome> DispatchAsync(string messageText, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        if (PackageEventJson.Deserialize(messageText) is not { } packageEvent)
        {
            // Retrying cannot fix it; failing sends it to the poison queue where someone can look at it.
            logs.Add($"Message {delivery.MessageId} is not a package event; it will end in the poison queue.");
            logger.LogError("Message {MessageId} is not a package event", delivery.MessageId);
            return new PackageEventOutcome(false, logs);
        }

        using var activity = PackageEventTelemetry.StartHandling(packageEvent, delivery);
        var results = await Task.WhenAll(_handlers.Select(handler => RunAsync(handler, packageEvent, delivery, cancellationToken)));
        logs.AddRange(results.Select(r => r.Log));
        var outcome = new PackageEventOutcome(results.All(r => r.Succeeded), logs);
        PackageEventTelemetry.RecordHandled(packageEvent, delivery, outcome.Succeeded, activity, time.GetUtcNow(), MaxDequeueCount);
        return outcome;
    }

    private async Task<(bool Succeeded, string Log)> RunAsync(
        IPackageEventHandler handler, PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(packageEvent, delivery, cancellationToken).ConfigureAwait(false);
            return (true, $"{handler.Name}: handled {packageEvent.Type} {packageEvent.EventId}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Handler {Handler} failed for event {EventId} (attempt {Attempt})", handler.Name, packageEvent.EventId, delivery.DequeueCount);
            return (false, $"{handler.Name}: failed for {packageEvent.EventId} (attempt {delivery.DequeueCount}): {ex.Message}");
        }
    }
}
