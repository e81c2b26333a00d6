namespace FeedFunctions.Pages;

/// <summary>
/// Headers on every page. The CSP allows nothing but the feed's own stylesheet, script and images (icons come from
/// the feed's flat container): no inline script at all, so a readme that slipped markup past the renderer still
/// could not run any; no third-party requests; no framing; forms only back to the feed.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response, bool privateFeed)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";

        // Links out (project sites) should not learn which private packages someone was looking at.
        response.Headers["Referrer-Policy"] = "no-referrer";

        // Pages change with every push; a private feed's pages must not be kept by shared caches.
        response.Headers.CacheControl = privateFeed ? "private, no-cache" : "no-cache";
    }
}
