using FeedFunctions.Feed;

namespace FeedFunctions.Pages;

/// <summary>Every version of the id, newest first, with its date and badges: unlisted ones too (this is the owner's view).</summary>
public static class VersionList
{
    public static Html Render(PageUrls urls, IReadOnlyList<VersionedRecord> versions, VersionedRecord current, VersionedRecord? latest) => Html.Of($"""
        <table>
        <thead><tr><th>Version</th><th>Published</th></tr></thead>
        <tbody>
        {Html.Join(versions.Reverse().Select(v => Html.Of($"""
            <tr{(ReferenceEquals(v, current) ? Html.Of($" class=\"current\"") : Html.Empty)}><td><a href="{urls.PackageVersion(v.Record.Id, v.Record.Version)}">{v.Record.FullVersion}</a>{Badges.Latest(ReferenceEquals(v, latest))}{Badges.Prerelease(v.Record)}{Badges.Unlisted(v.Record)}</td><td>{PackageFacts.Date(v.Record.Published)}</td></tr>
            """)))}
        </tbody>
        </table>
        """);
}
