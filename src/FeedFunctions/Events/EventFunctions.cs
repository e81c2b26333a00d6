using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Events;

/// <summary>
/// The event side. The host's queue trigger runs every handler for each event (a failure makes the host retry the
/// message after host.json's visibilityTimeout, and after maxDequeueCount attempts move it to
/// <c>package-events-poison</c>); the timer re-sends events whose change committed but whose message was never sent.
/// </summary>
public sealed class EventFunctions(PackageEventDispatcher dispatcher, PackageEventOutbox outbox, IOptions<EventsOptions> options, ILogger<EventFunctions> logger)
{
    /// <summary>Fixed: a trigger names its queue at build time (see <see cref="Feed.FeedStorageOptions.NamePrefix"/>).</summary>
    public const string EventsQueue = "package-events";

    /// <summary>
    /// The sweep's schedule (CRON with seconds): every minute. A literal, so the host indexes the timer with no setting
    /// at all; <see cref="EventsOptions.SweepSchedule"/> overrides it (see <see cref="Hosting.ConfiguredFunctionMetadataProvider"/>).
    /// </summary>
    public const string DefaultSweepSchedule = "0 * * * * *";

    /// <param name="id">The message id (trigger metadata, bound by name).</param>
    /// <param name="dequeueCount">How often the message was received, this time included (trigger metadata).</param>
    [Function(nameof(ProcessPackageEvent))]
    public async Task ProcessPackageEvent([QueueTrigger(EventsQueue)] string message, string? id, long dequeueCount, CancellationToken cancellationToken)
    {
        var outcome = await dispatcher.DispatchAsync(message, new PackageEventDelivery(id, Math.Max(1, dequeueCount)), cancellationToken);
        if (!outcome.Succeeded)
        {
            // Throwing is how a function tells the host to retry the message (and, in the end, to poison it).
            throw new PackageEventFailedException(string.Join("; ", outcome.Logs));
        }
    }

    /// <remarks>
    /// No schedule monitor: the sweep is idempotent and frequent, so an occurrence missed while no instance ran needs
    /// no catching up, and the monitor's status blob would cost a read and a write on every run.
    /// </remarks>
    [Function(nameof(SweepOutbox))]
    public async Task SweepOutbox([TimerTrigger(DefaultSweepSchedule, UseMonitor = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var delivered = await outbox.SweepAsync(options.Value.SweepAge, cancellationToken);
        if (delivered > 0)
        {
            logger.LogInformation("Outbox sweep delivered {Count} pending event(s)", delivered);
        }
    }
}
