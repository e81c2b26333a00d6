namespace FeedFunctions.Pages;

/// <summary>
/// Which URLs from a package may become links: absolute http(s) only. Anything else (javascript:, data:, vbscript:,
/// file:, protocol-relative //host, or a path that means nothing on this feed) is shown as text, not followed.
/// </summary>
public static class SafeUrl
{
    public static bool IsHttp(string? url) =>
        url is not null
        && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && (url.TrimStart().StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase));

    /// <summary>A link within the same document (<c>#heading</c>), as readme tables of contents use.</summary>
    public static bool IsFragment(string? url) =>
        url is { Length: > 1 } && url[0] == '#' && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}
