namespace FeedFunctions.Feed;

/// <summary>Whether a push may replace an existing id+version (peers call this AllowPackageOverwrites).</summary>
public enum OverwritePolicy
{
    False,
    PrereleaseOnly,
    True,
}
