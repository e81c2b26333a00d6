using FeedFunctions.Packages;

namespace FeedFunctions.Feed;

/// <summary>Which versions search and autocomplete show: never unlisted ones, and the rest as the query allows.</summary>
public static class VersionVisibility
{
    public static bool IsVisible(PackageRecord record, SearchQuery query) =>
        record.Listed
        && (query.IncludePrerelease || !record.IsPrerelease)
        && (query.IncludeSemVer2 || !record.IsSemVer2);
}
