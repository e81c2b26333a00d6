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

    public static (int TotalHits, IReadOnlyList<SearchHit> Page) Run(IEnumerable<PackageRecord> records, SearchQuery query)
    {
        var matches = VisibleById(records, query)
            .Where(hit => MatchesIds(hit, query) && MatchesPackageType(hit, query))
            .Select(hit => (Hit: hit, Rank: Rank(hit.Latest.Record, query)))
            .Where(x => x.Rank is not null)
            .OrderBy(x => x.Rank)
            .ThenBy(x => x.Hit.Latest.Record.Id, StringComparer.OrdinalIgnoreCase)
            .Select(x => x.Hit)
            .ToList();
        return (matches.Count, matches.Skip(query.Skip).Take(query.Take).ToList());
    }

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

    private static bool MatchesIds(SearchHit hit, SearchQuery query) =>
        query.ExactIds.Count == 0 || query.ExactIds.Any(id => id.Equals(hit.Latest.Record.Id, StringComparison.OrdinalIgnoreCase));

    private static bool MatchesPackageType(SearchHit hit, SearchQuery query) =>
        query.PackageType is null || PackageTypes(hit.Latest.Record).Contains(query.PackageType, StringComparer.OrdinalIgnoreCase);

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
