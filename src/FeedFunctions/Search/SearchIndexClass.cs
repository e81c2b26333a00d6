using FeedFunctions.Feed;

namespace FeedFunctions.Search;

/// <summary>
/// The four visibility classes of a query (prerelease yes/no x SemVer 2 yes/no) as two bits. A version needs the
/// bits of what it is; a query grants the bits of what it includes (see <see cref="VersionVisibility"/>).
/// </summary>
public static class SearchIndexClass
{
    public const int Prerelease = 1;
    public const int SemVer2 = 2;

    /// <summary>0..3.</summary>
    public const int Count = 4;

    public static int Of(bool prerelease, bool semVer2) => (prerelease ? Prerelease : 0) | (semVer2 ? SemVer2 : 0);

    public static int Of(SearchQuery query) => Of(query.IncludePrerelease, query.IncludeSemVer2);
}
