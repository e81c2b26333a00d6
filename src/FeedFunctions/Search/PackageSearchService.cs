using FeedFunctions.Feed;

namespace FeedFunctions.Search;

/// <summary>
/// What <c>/v3/search</c>, <c>/v3/autocomplete?q=</c> and the home page read: this instance's copy of the search
/// index (no storage request at all when it is fresh, one otherwise). Queries naming ids (<c>id:Foo</c>) read those
/// partitions, which is already O(that id); until the index is complete, free text scans the Packages table as
/// before. Matching, ranking and paging are <see cref="PackageSearch"/>'s in every case.
/// </summary>
public sealed class PackageSearchService(SearchIndexSnapshot index, PackageRowQueries rows)
{
    public async Task<(int TotalHits, IReadOnlyList<SearchHit> Page)> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        if (query.ExactIds.Count == 0 && await index.GetAsync(cancellationToken).ConfigureAwait(false) is { } view)
        {
            var queryClass = SearchIndexClass.Of(query);
            var (totalHits, page) = PackageSearch.Run(
                view.Entries.Where(e => e.LatestFor(queryClass) is not null),
                entry => entry.LatestFor(queryClass)!.ToRecord(),
                entry => entry.LatestFor(queryClass)!.PackageTypes,
                query);
            return (totalHits, page.Select(entry => entry.ToHit(queryClass)).ToList());
        }

        return PackageSearch.Run(await rows.ForQueryAsync(query, cancellationToken).ConfigureAwait(false), query);
    }

    /// <summary>Ids with a visible version that contain <paramref name="q"/>, in autocomplete's order.</summary>
    public async Task<IReadOnlyList<string>> AutocompleteIdsAsync(SearchQuery query, string q, CancellationToken cancellationToken)
    {
        if (await index.GetAsync(cancellationToken).ConfigureAwait(false) is { } view)
        {
            var queryClass = SearchIndexClass.Of(query);
            return PackageSearch.AutocompleteIds(view.Entries.Select(e => e.LatestFor(queryClass)?.Id).OfType<string>(), q);
        }

        var scanned = PackageSearch.VisibleById(await rows.ScanAllAsync(cancellationToken).ConfigureAwait(false), query);
        return PackageSearch.AutocompleteIds(scanned.Select(hit => hit.Latest.Record.Id), q);
    }
}
