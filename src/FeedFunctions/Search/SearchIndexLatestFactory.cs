using System.Text.Json.Nodes;
using FeedFunctions.Feed;
using FeedFunctions.Packages;

namespace FeedFunctions.Search;

/// <summary>
/// A row's search fields, capped at the push limits (rows are already within them; the caps keep an index entry
/// bounded whatever a row holds) and its catalog entry cut down to what a search result shows.
/// </summary>
public static class SearchIndexLatestFactory
{
    private const int MaxText = 4000;
    private const int MaxTitle = 256;
    private const int MaxTags = 200;
    private const int MaxPackageTypes = 32;

    private static readonly string[] CatalogTexts = ["summary", "iconUrl", "licenseUrl", "projectUrl"];

    public static SearchIndexLatest Create(PackageRecord record)
    {
        var catalog = Parse(record.CatalogJson);
        var cut = new JsonObject();
        foreach (var name in CatalogTexts)
        {
            if (catalog[name] is JsonValue value && value.TryGetValue<string>(out var text))
            {
                cut[name] = Cap(text, MaxText);
            }
        }

        if (catalog["tags"] is JsonArray tags)
        {
            cut["tags"] = new JsonArray(tags.OfType<JsonValue>().Select(t => t.TryGetValue<string>(out var tag) ? tag : null).OfType<string>()
                .Take(MaxTags).Select(t => (JsonNode?)JsonValue.Create(Cap(t, MaxText))).ToArray());
        }

        var types = PackageSearch.PackageTypes(catalog).Take(MaxPackageTypes).Select(t => Cap(t, MaxText)!).ToList();
        if (catalog["packageTypes"] is JsonArray)
        {
            cut["packageTypes"] = new JsonArray(types.Select(t => (JsonNode?)new JsonObject { ["name"] = t }).ToArray());
        }

        return new SearchIndexLatest
        {
            Id = record.Id,
            Version = record.Version,
            FullVersion = record.FullVersion,
            IsPrerelease = record.IsPrerelease,
            IsSemVer2 = record.IsSemVer2,
            Description = Cap(record.Description, MaxText),
            Title = Cap(record.Title, MaxTitle),
            Tags = Cap(record.Tags, MaxText),
            Authors = Cap(record.Authors, MaxText),
            IconBlobName = record.IconBlobName,
            Catalog = cut.ToJsonString(),
            PackageTypes = types,
        };
    }

    private static JsonObject Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    private static string? Cap(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}
