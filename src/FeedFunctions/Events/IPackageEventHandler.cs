namespace FeedFunctions.Events;

/// <summary>
/// A callback run for every package event (register with DI: <c>services.AddSingleton&lt;IPackageEventHandler, MyHandler&gt;()</c>).
/// Delivery is at least once: de-duplicate on <see cref="PackageEvent.EventId"/>. Throwing fails the invocation,
/// so the message is retried and, after 5 attempts, moved to the poison queue; other handlers still run.
/// </summary>
public interface IPackageEventHandler
{
    string Name { get; }

    Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken);
}
