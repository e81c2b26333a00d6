using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>The small labels next to versions.</summary>
public static class Badges
{
    public static Html Prerelease(PackageRecord record) =>
        record.IsPrerelease ? Html.Of($""" <span class="badge prerelease">prerelease</span>""") : Html.Empty;

    public static Html Unlisted(PackageRecord record) =>
        record.Listed ? Html.Empty : Html.Of($""" <span class="badge unlisted">unlisted</span>""");

    public static Html Latest(bool isLatest) =>
        isLatest ? Html.Of($""" <span class="badge latest">latest</span>""") : Html.Empty;
}
