using Azure.Storage.Blobs.Models;
using FeedFunctions.Events;
using FeedFunctions.Storage;

namespace FeedFunctions.Packages;

/// <summary>
/// Finishes hard deletes: a <c>package.deleted</c> event names the blobs the row owned, and this deletes whichever are
/// still there. The request (or retention) already deleted them right after the row in the normal case, so this is
/// one listing of the version's folder that finds nothing; it matters when the process died, or storage failed,
/// between the row and the blobs: the event was committed with the row (the outbox), so it is delivered and the
/// blobs go. Idempotent.
/// </summary>
public sealed class DeletedPackageBlobsHandler(FeedStorage storage, PackageStore store) : IPackageEventHandler
{
    public string Name => "deleted-package-blobs";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        if (packageEvent.Type != PackageEventType.Deleted || packageEvent.Blobs is not { Count: > 0 } named)
        {
            return;
        }

        var lowerId = packageEvent.PackageId.ToLowerInvariant();
        var lowerVersion = packageEvent.Version.ToLowerInvariant();

        // Only what is still there (a listing, not a delete per name: deletes of absent blobs are 404s the SDK logs as
        // warnings), and only inside this version's own folder, so a message cannot name another package's bytes.
        var left = new List<string>();
        await foreach (var blob in storage.Packages.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{lowerId}/{lowerVersion}/", cancellationToken).ConfigureAwait(false))
        {
            if (named.Contains(blob.Name, StringComparer.Ordinal))
            {
                left.Add(blob.Name);
            }
        }

        // Upload folders are unique per push, so those blobs never belong to a later push of the same version. The
        // symbols blob has a fixed name: it is left alone once the version exists again (pushed anew after the delete).
        var symbols = PackageBlobNames.SymbolPackage(lowerId, lowerVersion);
        if (left.Remove(symbols) && await store.FindAsync(lowerId, lowerVersion, cancellationToken).ConfigureAwait(false) is null)
        {
            left.Add(symbols);
        }

        await store.DeleteBlobsAsync(left, cancellationToken).ConfigureAwait(false);
    }
}
