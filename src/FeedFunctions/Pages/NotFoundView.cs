namespace FeedFunctions.Pages;

/// <summary>The page for an unknown id, version or path, with a way back.</summary>
public static class NotFoundView
{
    public static Html Render(PageUrls urls, string message, Html? more = null) => PageLayout.Render(urls, "Not found", Html.Of($"""
        <div class="empty panel">
        <h1>Not found</h1>
        <p>{message}</p>
        {more ?? Html.Empty}
        <p><a href="{urls.Home}">Browse all packages</a></p>
        </div>
        """));
}
