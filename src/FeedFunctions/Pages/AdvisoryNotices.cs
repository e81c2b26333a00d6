using FeedFunctions.Advisories;
using FeedFunctions.Feed;
using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>A version's deprecation and the advisories that cover it, as notices at the top of its page and as badges.</summary>
public static class AdvisoryNotices
{
    public static IReadOnlyList<Advisory> Covering(VersionedRecord current, IReadOnlyList<Advisory> advisories) =>
        advisories.Where(a => a.Covers(current.Version)).OrderByDescending(a => a.Severity).ToList();

    public static Html Render(PageUrls urls, PackageRecord record, IReadOnlyList<Advisory> covering)
    {
        var parts = new List<Html>();
        if (PackageDeprecation.FromJson(record.Deprecation) is { } deprecation)
        {
            var message = deprecation.Message is null ? Html.Empty : Html.Of($" {deprecation.Message}");
            var alternate = deprecation.AlternateId is null
                ? Html.Empty
                : Html.Of($""" Use <a href="{urls.Package(deprecation.AlternateId)}">{deprecation.AlternateId}</a>{(deprecation.AlternateRange is null or PackageDeprecation.AnyVersion ? string.Empty : " " + deprecation.AlternateRange)} instead.""");
            parts.Add(Html.Of($"""<p class="notice deprecation">This version is deprecated ({string.Join(", ", deprecation.Reasons)}).{message}{alternate}</p>"""));
        }

        foreach (var advisory in covering)
        {
            var link = SafeUrl.IsHttp(advisory.Url) ? Html.Of($"""<a href="{advisory.Url}" rel="noopener noreferrer">{advisory.Url}</a>""") : Html.Of($"{advisory.Url}");
            parts.Add(Html.Of($"""<p class="notice vulnerability">This version has a known {AdvisorySeverity.Name(advisory.Severity)} severity vulnerability (versions {advisory.Versions}): {link}</p>"""));
        }

        return Html.Join(parts);
    }

    public static Html Badges(PackageRecord record, IReadOnlyList<Advisory> covering) => Html.Join(
    [
        record.Deprecation is null ? Html.Empty : Html.Of($""" <span class="badge deprecated">deprecated</span>"""),
        covering.Count == 0 ? Html.Empty : Html.Of($""" <span class="badge vulnerable">vulnerable</span>"""),
    ]);
}
