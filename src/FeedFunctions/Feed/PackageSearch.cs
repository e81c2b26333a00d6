using System.Text.Json.Nodes;
using FeedFunctions.Packages;

namespace FeedFunctions.Feed;

/// <summary>
/// Search over version rows: hide what the query must not see, group by id, match the latest visible version's
/// metadata, rank (exact id, id prefix, id substring, other fields; then id) and page.
/// </summary>
public static class PackageSearch
{
    public const string DefaultPackageType = "Dependency";

    public static (int TotalHits, IReadOnlyList<SearchHit> Page) Run(IEnumerable<PackageRecord> records, SearchQuery query) =>
        Run(VisibleById(records, query), hit => hit.Latest.Record, hit => PackageTypes(hit.Latest.Record), query);

    /// <summary>
    /// The same matching, ranking and paging over any candidates (rows grouped by id, or search index entries):
    /// each one's latest visible version and its package types decide.
    /// </summary>
    public static (int TotalHits, IReadOnlyList<T> Page) Run<T>(
        IEnumerable<T> candidates, Func<T, PackageRecord> latest, Func<T, IReadOnlyList<string>> packageTypes, SearchQuery query)
    {
        var matches = candidates
            .Select(candidate => (Candidate: candidate, Latest: latest(candidate)))
            .Where(x => MatchesIds(x.Latest, query) && (query.PackageType is null || packageTypes(x.Candidate).Contains(query.PackageType, StringComparer.OrdinalIgnoreCase)))
            .Select(x => (x.Candidate, x.Latest, Rank: Rank(x.Latest, query)))
            .Where(x => x.Rank is not null)
            .OrderBy(x => x.Rank)
            .ThenBy(x => x.Latest.Id, StringComparer.OrdinalIgnoreCase)
            .Select(x => x.Candidate)
            .ToList();
        return (matches.Count, matches.Skip(query.Skip).Take(query.Take).ToList());
    }

    /// <summary>Autocomplete's ids: those containing <paramref name="q"/>, prefix matches first, then by id.</summary>
    public static List<string> AutocompleteIds(IEnumerable<string> visibleIds, string q) =>
        visibleIds
            .Where(candidate => candidate.Contains(q, StringComparison.OrdinalIgnoreCase))
            .OrderBy(candidate => candidate.StartsWith(q, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(candidate => candidate, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>Ids with at least one visible version; an id whose versions are all hidden does not appear at all.</summary>
    public static IEnumerable<SearchHit> VisibleById(IEnumerable<PackageRecord> records, SearchQuery query) =>
        records
            .Where(r => VersionVisibility.IsVisible(r, query))
            .GroupBy(r => r.LowerId)
            .Select(g => new SearchHit(PackageVersions.Sort(g)));

    /// <summary>The latest version's package types, <c>Dependency</c> when the nuspec declares none (nuget.org's rule).</summary>
    public static IReadOnlyList<string> PackageTypes(PackageRecord record) =>
        PackageTypes(JsonNode.Parse(record.CatalogJson) as JsonObject ?? []);

    /// <summary>The same, from a catalog entry the caller has parsed already.</summary>
    public static IReadOnlyList<string> PackageTypes(JsonObject catalog)
    {
        var types = (catalog["packageTypes"] as JsonArray)?
            .Select(t => t?["name"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
        return types is { Count: > 0 } ? types : [DefaultPackageType];
    }

    private static bool MatchesIds(PackageRecord latest, SearchQuery query) =>
        query.ExactIds.Count == 0 || query.ExactIds.Any(id => id.Equals(latest.Id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every term must occur somewhere; null when one does not. Lower ranks sort first.</summary>
    private static int? Rank(PackageRecord latest, SearchQuery query)
    {
        var rank = query.Terms.Count == 0 ? 0 : 3;
        foreach (var term in query.Terms)
        {
            var inId = latest.Id.Contains(term, StringComparison.OrdinalIgnoreCase);
            if (!inId && !Contains(latest.Title, term) && !Contains(latest.Tags, term) && !Contains(latest.Description, term))
            {
                return null;
            }

            var termRank = latest.Id.Equals(term, StringComparison.OrdinalIgnoreCase) ? 0
                : latest.Id.StartsWith(term, StringComparison.OrdinalIgnoreCase) ? 1
                : inId ? 2
                : 3;
            rank = Math.Min(rank, termRank);
        }

        return rank;
    }

    private static bool Contains(string? field, string term) => field?.Contains(term, StringComparison.OrdinalIgnoreCase) == true;
}
