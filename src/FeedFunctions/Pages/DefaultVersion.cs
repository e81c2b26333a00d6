using FeedFunctions.Feed;

namespace FeedFunctions.Pages;

/// <summary>Which version <c>/packages/{id}</c> shows: what <c>dotnet add package</c> would pick, else the newest there is.</summary>
public static class DefaultVersion
{
    /// <summary>Latest listed stable, else latest listed prerelease; null when every version is unlisted.</summary>
    public static VersionedRecord? Latest(IReadOnlyList<VersionedRecord> versions) =>
        versions.LastOrDefault(v => v.Record.Listed && !v.Record.IsPrerelease)
        ?? versions.LastOrDefault(v => v.Record.Listed);

    public static VersionedRecord For(IReadOnlyList<VersionedRecord> versions) => Latest(versions) ?? versions[^1];
}
