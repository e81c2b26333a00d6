using System.Text.Json.Nodes;

namespace FeedFunctions.Feed;

/// <summary>SearchQueryService and SearchAutocompleteService response bodies.</summary>
public static class SearchDocuments
{
    public static JsonObject Results(FeedUrls urls, int totalHits, IReadOnlyList<SearchHit> page) => new()
    {
        ["totalHits"] = totalHits,
        ["data"] = new JsonArray(page.Select(hit => (JsonNode?)Result(urls, hit)).ToArray()),
    };

    public static JsonObject Strings(int totalHits, IEnumerable<string> data) => new()
    {
        ["totalHits"] = totalHits,
        ["data"] = new JsonArray(data.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
    };

    private static JsonObject Result(FeedUrls urls, SearchHit hit)
    {
        var latest = hit.Latest.Record;
        var catalog = JsonNode.Parse(latest.CatalogJson) as JsonObject ?? [];
        var registration = urls.RegistrationIndex(latest.LowerId);
        var result = new JsonObject
        {
            ["@id"] = registration,
            ["@type"] = "Package",
            ["registration"] = registration,
            ["id"] = latest.Id,
            // nuget.org shows the full version (with build metadata) here; URLs use the normalized one.
            ["version"] = latest.FullVersion,
            ["description"] = latest.Description ?? string.Empty,
            ["summary"] = Text(catalog, "summary"),
            ["title"] = latest.Title ?? latest.Id,
            ["iconUrl"] = string.IsNullOrEmpty(latest.IconBlobName) ? Text(catalog, "iconUrl") : urls.Icon(latest.LowerId, latest.LowerVersion),
            ["licenseUrl"] = Text(catalog, "licenseUrl"),
            ["projectUrl"] = Text(catalog, "projectUrl"),
            ["tags"] = catalog["tags"]?.DeepClone() ?? new JsonArray(),
            ["authors"] = new JsonArray(Split(latest.Authors).Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["owners"] = new JsonArray(),
            ["totalDownloads"] = 0,
            ["verified"] = false,
            ["packageTypes"] = new JsonArray(PackageSearch.PackageTypes(catalog).Select(t => (JsonNode?)new JsonObject { ["name"] = t }).ToArray()),
            ["versions"] = new JsonArray(hit.Versions.Select(v => (JsonNode?)new JsonObject
            {
                ["version"] = v.Record.FullVersion,
                ["downloads"] = 0,
                ["@id"] = urls.RegistrationLeaf(v.Record.LowerId, v.Record.LowerVersion),
            }).ToArray()),
        };
        return result;
    }

    private static string Text(JsonObject catalog, string name) =>
        catalog[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;

    private static IEnumerable<string> Split(string? authors) =>
        (authors ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
