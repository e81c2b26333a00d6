using FeedFunctions.Packages;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary><c>/v3/search</c> and <c>/v3/autocomplete</c> over the Packages table.</summary>
public sealed class SearchHandler(PackageRowQueries source, IOptions<FeedOptions> options)
{
    public async Task<IResult> SearchAsync(HttpContext context)
    {
        var query = SearchQuery.Parse(context.Request.Query);
        var records = await source.ForQueryAsync(query, context.RequestAborted);
        var (totalHits, page) = PackageSearch.Run(records, query);
        return JsonDocumentResult.Create(context, SearchDocuments.Results(FeedUrls.For(context.Request, options.Value), totalHits, page));
    }

    /// <summary>With <c>id=</c>: that id's visible versions; otherwise ids containing <c>q</c>, prefix matches first.</summary>
    public async Task<IResult> AutocompleteAsync(HttpContext context)
    {
        var query = SearchQuery.Parse(context.Request.Query);
        var id = context.Request.Query["id"].ToString();
        if (id.Length > 0)
        {
            var versions = PackageSearch.VisibleById(await source.ReadIdsAsync([id], context.RequestAborted), query)
                .SelectMany(hit => hit.Versions)
                .Select(v => v.Record.Version)
                .ToList();
            return JsonDocumentResult.Create(context, SearchDocuments.Strings(versions.Count, versions.Skip(query.Skip).Take(query.Take)));
        }

        var q = context.Request.Query["q"].ToString().Trim();
        var ids = PackageSearch.VisibleById(await source.ScanAllAsync(context.RequestAborted), query)
            .Select(hit => hit.Latest.Record.Id)
            .Where(candidate => candidate.Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(candidate => candidate.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(candidate => candidate, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return JsonDocumentResult.Create(context, SearchDocuments.Strings(ids.Count, ids.Skip(query.Skip).Take(query.Take)));
    }
}
