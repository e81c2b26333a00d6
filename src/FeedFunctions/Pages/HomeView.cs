using FeedFunctions.Feed;
using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>The home page: search results (or the whole feed), one card per id with its latest visible version, paged.</summary>
public static class HomeView
{
    public static Html Render(PageUrls urls, string q, SearchQuery query, int totalHits, IReadOnlyList<SearchHit> page)
    {
        var content = totalHits == 0
            ? Empty(urls, q)
            : Html.Of($"""
                <p class="summary">{Summary(q, totalHits, query)}</p>
                <ul class="results">
                {Html.Join(page.Select(hit => Card(urls, hit)))}
                </ul>
                {Pager(urls, q, query, totalHits)}
                """);
        return PageLayout.Render(urls, q.Length == 0 ? "Packages" : $"{q} - Packages", content, q, query.IncludePrerelease);
    }

    private static string Summary(string q, int totalHits, SearchQuery query)
    {
        var count = totalHits == 1 ? "1 package" : $"{totalHits} packages";
        var range = totalHits > query.Take ? $" (showing {query.Skip + 1}-{Math.Min(totalHits, query.Skip + query.Take)})" : string.Empty;
        return q.Length == 0 ? count + range : $"{count} matching \u201c{q}\u201d{range}";
    }

    private static Html Card(PageUrls urls, SearchHit hit)
    {
        var latest = hit.Latest.Record;
        var tags = (latest.Tags ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Html.Of($"""
            <li class="result">
            {IconImage.Img(urls, latest, "icon")}
            <div>
            <h2><a href="{urls.Package(latest.Id)}">{latest.Id}</a> <span class="version">{latest.FullVersion}</span>{Badges.Prerelease(latest)}</h2>
            <p>{latest.Description}</p>
            <p class="meta">by {latest.Authors}{(tags.Length == 0 ? Html.Empty : Html.Of($" · <span class=\"tags\">{Html.Join(tags.Select(t => Html.Of($"<a href=\"{urls.Search(t)}\">#{t}</a>")))}</span>"))}</p>
            </div>
            </li>
            """);
    }

    private static Html Pager(PageUrls urls, string q, SearchQuery query, int totalHits)
    {
        if (totalHits <= query.Take)
        {
            return Html.Empty;
        }

        string Link(int skip) =>
            $"{urls.Home}?q={Uri.EscapeDataString(q)}{(query.IncludePrerelease ? "&prerelease=true" : string.Empty)}&skip={skip}";
        var pageNumber = (query.Skip / query.Take) + 1;
        var pages = (totalHits + query.Take - 1) / query.Take;
        var previous = query.Skip > 0 ? Html.Of($"<a rel=\"prev\" href=\"{Link(Math.Max(0, query.Skip - query.Take))}\">\u2190 Previous</a>") : Html.Empty;
        var next = query.Skip + query.Take < totalHits ? Html.Of($"<a rel=\"next\" href=\"{Link(query.Skip + query.Take)}\">Next \u2192</a>") : Html.Empty;
        return Html.Of($"""<nav class="pager" aria-label="Pages">{previous}<span>Page {pageNumber} of {pages}</span>{next}</nav>""");
    }

    private static Html Empty(PageUrls urls, string q) => q.Length > 0
        ? Html.Of($"""<div class="empty panel"><p>No package matches “{q}”.</p><p><a href="{urls.Home}">Show all packages</a></p></div>""")
        : Html.Of($"""
            <div class="empty panel">
            <h1>No packages yet</h1>
            <p>Push one with the NuGet client:</p>
            <pre>dotnet nuget push MyLib.1.0.0.nupkg --source {urls.Feed.ServiceIndex} --api-key &lt;key&gt;</pre>
            </div>
            """);
}
