using FeedFunctions.Feed;

namespace FeedFunctions.Pages;

/// <summary>
/// Links within the pages: root-relative (with the public path prefix, if the feed sits under one), so that a page
/// viewed through any host name links to itself and its icons stay same-origin for the CSP. The absolute
/// <see cref="Feed"/> URLs are for what people copy (the source URL), never for what the browser loads.
/// </summary>
public sealed class PageUrls(FeedUrls feed)
{
    public const string HomePath = "/packages";

    public FeedUrls Feed { get; } = feed;

    public string Prefix { get; } = Uri.TryCreate(feed.Base, UriKind.Absolute, out var uri) ? uri.AbsolutePath.TrimEnd('/') : string.Empty;

    public static PageUrls For(HttpRequest request, FeedOptions options) => new(FeedUrls.For(request, options));

    public string Home => Prefix + HomePath;

    public string Package(string id) => $"{Prefix}{HomePath}/{Uri.EscapeDataString(id)}";

    public string PackageVersion(string id, string version) => $"{Package(id)}/{Uri.EscapeDataString(version)}";

    public string Search(string query) => $"{Home}?q={Uri.EscapeDataString(query)}";

    public string Icon(string lowerId, string lowerVersion) => $"{Prefix}{FeedUrls.FlatContainerPath}/{lowerId}/{lowerVersion}/icon";

    public string Download(string lowerId, string lowerVersion) =>
        $"{Prefix}{FeedUrls.FlatContainerPath}/{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg";

    public string Asset(string name) => $"{Prefix}/assets/{name}?v={PageAssets.Version}";
}
