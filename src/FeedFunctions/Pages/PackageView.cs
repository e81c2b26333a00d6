using System.Text.Json.Nodes;
using FeedFunctions.Advisories;
using FeedFunctions.Feed;
using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>A package version's page: head, install snippets, readme, dependencies, versions, and the facts panel.</summary>
public static class PackageView
{
    public static Html Render(
        PageUrls urls, IReadOnlyList<VersionedRecord> versions, VersionedRecord current, string? readme, bool hasSymbols, IReadOnlyList<Advisory>? advisories = null)
    {
        var record = current.Record;
        var covering = AdvisoryNotices.Covering(current, advisories ?? []);
        var catalog = JsonNode.Parse(record.CatalogJson) as JsonObject ?? [];
        var packageTypes = PackageSearch.PackageTypes(catalog);
        var latest = DefaultVersion.Latest(versions);
        var title = PackageFacts.Text(catalog, "title");
        var content = Html.Of($"""
            {(record.Listed ? Html.Empty : Html.Of($"<p class=\"notice\">This version is unlisted: search and <code>dotnet add package</code> without a version skip it, but a project that names it still restores it.</p>"))}
            {AdvisoryNotices.Render(urls, record, covering)}
            <div class="package-head">
            {IconImage.Img(urls, record, "icon large")}
            <div>
            <h1>{record.Id} <span class="version">{record.FullVersion}</span></h1>
            <div class="badges">{Badges.Latest(ReferenceEquals(current, latest))}{Badges.Prerelease(record)}{Badges.Unlisted(record)}{AdvisoryNotices.Badges(record, covering)}</div>
            {(title is null || title == record.Id ? Html.Empty : Html.Of($"<p><strong>{title}</strong></p>"))}
            <p>{record.Description}</p>
            <p class="meta">by {record.Authors}</p>
            </div>
            </div>
            <div class="columns">
            <div>
            <section class="panel install"><h2>Install</h2>{InstallSnippets.Render(record, packageTypes)}</section>
            <section class="panel readme"><h2>README</h2>{Readme(readme)}</section>
            <section class="panel deps"><h2>Dependencies</h2>{DependencyList.Render(urls, catalog)}</section>
            <section class="panel versions"><h2>Versions</h2>{VersionList.Render(urls, versions, current, latest)}</section>
            </div>
            <aside class="panel facts">{PackageFacts.Render(urls, record, catalog, packageTypes, hasSymbols)}</aside>
            </div>
            """);
        return PageLayout.Render(urls, $"{record.Id} {record.FullVersion}", content);
    }

    private static Html Readme(string? readme) => readme is null
        ? Html.Of($"<p class=\"meta\">This package has no readme.</p>")
        : Html.Of($"<div class=\"readme-body\">{ReadmeRenderer.Render(readme)}</div>");
}
