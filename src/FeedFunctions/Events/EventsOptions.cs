namespace FeedFunctions.Events;

/// <summary><c>Feed:Events:*</c>: the outbox sweep. Queue retries and poisoning are the host's (host.json <c>queues</c>).</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Feed:Events";

    /// <summary>Pending events younger than this are left to their own request; older ones are re-sent by the sweep.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Optional CRON schedule (with seconds) of the SweepOutbox timer, in place of its built-in one
    /// (<see cref="EventFunctions.DefaultSweepSchedule"/>, every minute). The worker hands it to the host with the
    /// function's metadata; an invalid value keeps the built-in schedule and makes <c>/api/health</c> answer 503.
    /// </summary>
    public string? SweepSchedule { get; set; }
}
