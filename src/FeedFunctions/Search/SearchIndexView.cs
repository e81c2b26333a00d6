namespace FeedFunctions.Search;

/// <summary>The ids with at least one listed version, as of one refresh of <see cref="SearchIndexSnapshot"/>; never changed after.</summary>
public sealed record SearchIndexView(IReadOnlyList<SearchIndexEntry> Entries);
