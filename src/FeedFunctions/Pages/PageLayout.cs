namespace FeedFunctions.Pages;

/// <summary>The frame of every page: head, the search bar (a plain GET form), the content, and the feed's source URL.</summary>
public static class PageLayout
{
    public static Html Render(PageUrls urls, string title, Html content, string query = "", bool prerelease = false) => Html.Of($"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{title}</title>
        <link rel="stylesheet" href="{urls.Asset("site.css")}">
        <link rel="icon" href="{urls.Asset("package.svg")}" type="image/svg+xml">
        <script src="{urls.Asset("site.js")}" defer></script>
        </head>
        <body>
        <header class="top"><div class="top-inner">
        <a class="brand" href="{urls.Home}"><img src="{urls.Asset("package.svg")}" alt="">Package feed</a>
        <form class="search" action="{urls.Home}" method="get" role="search">
        <input type="search" name="q" value="{query}" placeholder="Search packages" aria-label="Search packages">
        <label><input type="checkbox" name="prerelease" value="true"{(prerelease ? Html.Of($" checked") : Html.Empty)}> Include prerelease</label>
        <button type="submit">Search</button>
        </form>
        </div></header>
        <main>
        {content}
        </main>
        <footer class="bottom">Package source: <code>{urls.Feed.ServiceIndex}</code></footer>
        </body>
        </html>
        """);
}
