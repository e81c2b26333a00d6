namespace FeedFunctions.Events;

/// <summary><c>Feed:Events:*</c>: the outbox sweep. Queue retries and poisoning are the host's (host.json <c>queues</c>).</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Feed:Events";

    /// <summary>Pending events younger than this are left to their own request; older ones are re-sent by the sweep.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// CRON schedule (with seconds) of the SweepOutbox timer. The host reads it, not the app: it must be set as an
    /// app setting (<c>Feed__Events__SweepSchedule</c>), or the host cannot index the timer function.
    /// </summary>
    public string SweepSchedule { get; set; } = "0 */5 * * * *";
}
