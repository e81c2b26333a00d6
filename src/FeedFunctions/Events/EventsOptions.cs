namespace FeedFunctions.Events;

/// <summary><c>Feed:Events:*</c>: timings for the local queue listener and the outbox sweep.</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Feed:Events";

    /// <summary>Runs the local queue listener when the Functions host is absent (it never runs under the host).</summary>
    public bool LocalListener { get; set; } = true;

    /// <summary>Like host.json's queues.visibilityTimeout: how long a failed message stays invisible before its retry.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Like host.json's queues.maxDequeueCount.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Longest wait between polls of an empty queue (the host uses 2 s locally).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pending events younger than this are left to their own request; older ones are re-sent by the sweep.</summary>
    public TimeSpan SweepAge { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the local run sweeps the outbox (under the host, the SweepOutbox timer does).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
