using FeedFunctions.Events;

namespace FeedFunctions.Packages;

/// <summary>
/// Finishes hard deletes: a <c>package.deleted</c> event names the blobs the row owned, and this deletes whichever are
/// still there. The request (or retention) already deleted them right after the row in the normal case, so this is
/// a few 404s; it matters when the process died, or storage failed, between the row and the blobs: the event was
/// committed with the row (the outbox), so it is delivered and the blobs go. Idempotent (delete-if-exists).
/// </summary>
public sealed class DeletedPackageBlobsHandler(PackageStore store) : IPackageEventHandler
{
    public string Name => "deleted-package-blobs";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        if (packageEvent.Type != PackageEventType.Deleted || packageEvent.Blobs is not { Count: > 0 } blobs)
        {
            return;
        }

        var lowerId = packageEvent.PackageId.ToLowerInvariant();
        var lowerVersion = packageEvent.Version.ToLowerInvariant();

        // Only names inside this version's own folder: a message cannot make the handler delete another package's bytes.
        var own = blobs.Where(name => name.StartsWith($"{lowerId}/{lowerVersion}/", StringComparison.Ordinal) && !name.Contains("..", StringComparison.Ordinal)).ToList();

        // Upload folders are unique per push, so those blobs can never belong to a later push of the same version. The
        // symbols blob has a fixed name: it is left alone once the version exists again (pushed anew after the delete).
        var symbols = PackageBlobNames.SymbolPackage(lowerId, lowerVersion);
        if (own.Remove(symbols) && await store.FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            own.Add(symbols);
        }

        await store.DeleteBlobsAsync(own, cancellationToken).ConfigureAwait(false);
    }
}
