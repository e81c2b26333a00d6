namespace FeedFunctions.Search;

/// <summary>The refresh of an id running on this instance, and the one queued behind it (joined by later callers).</summary>
internal sealed class SearchIndexRefreshFlight
{
    public Task Running { get; set; } = Task.CompletedTask;

    public Task? Next { get; set; }
}
