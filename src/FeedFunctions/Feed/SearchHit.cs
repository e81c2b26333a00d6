namespace FeedFunctions.Feed;

/// <summary>One id in search results: its visible versions in version order; the last is the latest.</summary>
public sealed record SearchHit(IReadOnlyList<VersionedRecord> Versions)
{
    public VersionedRecord Latest => Versions[^1];
}
