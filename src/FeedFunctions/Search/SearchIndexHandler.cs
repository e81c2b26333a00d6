using FeedFunctions.Events;

namespace FeedFunctions.Search;

/// <summary>
/// Keeps the search index: every event (upload, unlist, relist, delete, overwrite; whoever sends it) refreshes the
/// entry of its id from the id's rows. It reads nothing else of the event, so a redelivered or late event only
/// refreshes the entry again, and the queue's retries cover a failed write.
/// </summary>
public sealed class SearchIndexHandler(SearchIndexWriter writer, ILogger<SearchIndexHandler> logger) : IPackageEventHandler
{
    public string Name => "search-index";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        if (!await writer.RefreshAsync(packageEvent.PackageId, cancellationToken).ConfigureAwait(false))
        {
            // Nothing with such an id can be stored, so there is nothing to index; failing would only poison it.
            logger.LogWarning("Event {EventId} names no valid package id; the search index ignores it", packageEvent.EventId);
        }
    }
}
