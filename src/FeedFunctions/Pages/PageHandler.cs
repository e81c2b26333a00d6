using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Pages;

/// <summary>
/// The package browser. Each page reads what its V3 twin reads and no more: the home page runs the very search of
/// <c>/v3/search</c> (same query parsing, same index or table reads); a package page reads the id's partition once (as the
/// registration index does) plus its readme blob, and asks whether a .snupkg exists at the same time.
/// </summary>
public sealed class PageHandler(PackageStore store, Search.PackageSearchService search, Advisories.AdvisoryStore advisories, IOptions<FeedOptions> options)
{
    /// <summary>One page of results; <c>take</c> is the page's, not the caller's.</summary>
    public const int PageSize = 20;

    public async Task<IResult> HomeAsync(HttpContext context)
    {
        var urls = Urls(context);

        // Browsers see SemVer 2 versions, as every current client does (semVerLevel=2.0.0).
        var query = SearchQuery.Parse(context.Request.Query) with { IncludeSemVer2 = true, Take = PageSize };
        var (totalHits, page) = await search.SearchAsync(query, context.RequestAborted);
        var q = context.Request.Query["q"].ToString().Trim();
        return Page(StatusCodes.Status200OK, HomeView.Render(urls, q, query, totalHits, page));
    }

    public async Task<IResult> PackageAsync(HttpContext context, string id, string? version)
    {
        var urls = Urls(context);
        // The registration index's one partition query: versions and the id's advisories.
        var (versions, advisoryList) = await advisories.LoadIdAsync(id, context.RequestAborted);
        if (versions.Count == 0)
        {
            return NotFound(urls, $"There is no package '{id}' on this feed.", Html.Of($"<p>If it comes from another source, such as nuget.org, look for it there.</p>"));
        }

        var current = version is null ? DefaultVersion.For(versions) : Find(versions, id, version);
        if (current is null)
        {
            var packageId = versions[0].Record.Id;
            return NotFound(urls, $"There is no version '{version}' of '{packageId}' on this feed.", Html.Of($"""<p><a href="{urls.Package(packageId)}">All versions of {packageId}</a></p>"""));
        }

        var readme = store.ReadReadmeAsync(current.Record, PackageReaderOptions.DefaultMaxReadmeBytes, context.RequestAborted);
        var symbols = store.HasSymbolsAsync(current.Record.LowerId, current.Record.LowerVersion, context.RequestAborted);
        await Task.WhenAll(readme, symbols);
        return Page(StatusCodes.Status200OK, PackageView.Render(urls, versions, current, await readme, await symbols, advisoryList));
    }

    /// <summary>
    /// Everything no other function serves. <c>/</c> is the home page (when the host leaves it to the app); unknown
    /// URLs under the protocol's prefixes stay plain-text 404s for NuGet clients; anything else gets the HTML 404.
    /// </summary>
    public Task<IResult> OtherAsync(HttpContext context, string? path)
    {
        path = (path ?? string.Empty).Trim('/');
        if (path.Length == 0)
        {
            return HomeAsync(context);
        }

        if (IsProtocolPath(path))
        {
            return Task.FromResult<IResult>(NuGetResult.NotFound($"'/{path}' is not a route of this feed."));
        }

        return Task.FromResult(NotFound(Urls(context), "There is no page at this address."));
    }

    public static IResult Asset(HttpContext context, string name) => PageAssets.Serve(context, name);

    private static bool IsProtocolPath(string path) =>
        path.Equals("v3", StringComparison.OrdinalIgnoreCase) || path.StartsWith("v3/", StringComparison.OrdinalIgnoreCase)
        || path.Equals("api", StringComparison.OrdinalIgnoreCase) || path.StartsWith("api/", StringComparison.OrdinalIgnoreCase);

    private static VersionedRecord? Find(IReadOnlyList<VersionedRecord> versions, string id, string version) =>
        PackageKey.TryParse(id, version, out var key, out _) ? versions.FirstOrDefault(v => v.Record.LowerVersion == key.LowerVersion) : null;

    private PageUrls Urls(HttpContext context) => PageUrls.For(context.Request, options.Value);

    private IResult Page(int status, Html page) => new PageResult(status, page, options.Value.RequireReadAuth);

    private IResult NotFound(PageUrls urls, string message, Html? more = null) =>
        new PageResult(StatusCodes.Status404NotFound, NotFoundView.Render(urls, message, more), options.Value.RequireReadAuth, message);
}
