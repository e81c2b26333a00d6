using FeedFunctions.Events;

namespace FeedFunctions.Advisories;

/// <summary>
/// Rebuilds the advisory snapshot on every advisory event. The change's writer rebuilds it right after its commit;
/// this covers a writer that died in between (the outbox sweep sends its event). Idempotent: an unchanged snapshot
/// is not rewritten.
/// </summary>
public sealed class AdvisorySnapshotHandler(AdvisorySnapshot snapshot, AdvisoryStore store) : IPackageEventHandler
{
    public string Name => "advisory-snapshot";

    public Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken) =>
        packageEvent.Type is PackageEventType.AdvisoryAdded or PackageEventType.AdvisoryRemoved
            ? snapshot.RebuildAsync(store, cancellationToken)
            : Task.CompletedTask;
}
