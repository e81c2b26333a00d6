namespace FeedFunctions.Search;

/// <summary><c>Feed:Search:*</c> (environment <c>Feed__Search__*</c>): the event-fed search index (docs/search.md).</summary>
public sealed class SearchIndexOptions
{
    public const string SectionName = "Feed:Search";

    /// <summary>The longest a setting may make reads wait for a change: beyond it search would look broken.</summary>
    public static readonly TimeSpan MaxRefreshInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How old an instance's in-memory copy of the index may be when a search is answered: older, the read first
    /// fetches the rows changed since (one table request, shared by concurrent reads). 0 refreshes on every read.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether an instance that finds the index incomplete (a feed from before the index, or a fresh one) builds it in
    /// the background at start-up. Off: only <c>FeedAdmin search rebuild</c> does, and search scans until then.
    /// </summary>
    public bool BuildOnStart { get; set; } = true;

    /// <summary>The misconfiguration, or null when the settings are usable.</summary>
    public string? Validate() =>
        RefreshInterval < TimeSpan.Zero || RefreshInterval > MaxRefreshInterval
            ? $"Feed:Search:RefreshInterval must be between 00:00:00 and {MaxRefreshInterval:c} (it is {RefreshInterval:c})."
            : null;
}
