namespace FeedFunctions.Tests.Infrastructure;

/// <summary>A clock a test moves by hand (starts at the real time), for expiries without waiting.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow.AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
