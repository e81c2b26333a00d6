using FeedFunctions.Search;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary><c>/v3/search</c> and <c>/v3/autocomplete</c>: free text over the search index, ids over their partitions.</summary>
public sealed class SearchHandler(PackageSearchService search, PackageRowQueries source, IOptions<FeedOptions> options)
{
    public async Task<IResult> SearchAsync(HttpContext context)
    {
        var query = SearchQuery.Parse(context.Request.Query);
        var (totalHits, page) = await search.SearchAsync(query, context.RequestAborted);
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
        var ids = await search.AutocompleteIdsAsync(query, q, context.RequestAborted);
        return JsonDocumentResult.Create(context, SearchDocuments.Strings(ids.Count, ids.Skip(query.Skip).Take(query.Take)));
    }
}
