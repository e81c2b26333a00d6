using FeedFunctions.Events;
using FeedFunctions.Packages;

namespace FeedFunctions.Symbols;

/// <summary>
/// On <c>package.deleted</c> (a hard delete, or retention, which deletes the same way), removes the version's
/// symbol entries and PDBs. Idempotent, so redelivery is harmless; entries indexed after the event (the version
/// was pushed again, with new symbols) are kept, so a late or repeated delivery cannot remove them.
/// </summary>
public sealed class SymbolCleanupHandler(SymbolIndex index, SymbolVersionLock versionLock, ILogger<SymbolCleanupHandler> logger) : IPackageEventHandler
{
    public string Name => "symbols";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        if (packageEvent.Type != PackageEventType.Deleted || !PackageKey.TryParse(packageEvent.PackageId, packageEvent.Version, out var key, out _))
        {
            return;
        }

        var removed = await index.RemovePackageAsync(key.LowerId, key.LowerVersion, packageEvent.Timestamp, cancellationToken).ConfigureAwait(false);
        await versionLock.DeleteAsync(key.LowerId, key.LowerVersion, cancellationToken).ConfigureAwait(false);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} symbol file(s) of deleted {PackageId} {Version}", removed, packageEvent.PackageId, packageEvent.Version);
        }
    }
}
