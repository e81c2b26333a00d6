using System.Text.Json.Nodes;

namespace FeedFunctions.Feed;

/// <summary>
/// <c>/v3/index.json</c>. The client looks resources up by exact @type, and each feature knows only certain
/// versions (search: 3.0.0-beta/3.4.0 only, symbols: 4.9.0 only), so every alias it might ask for is listed.
/// </summary>
public static class ServiceIndexDocument
{
    public static JsonObject Create(FeedUrls urls)
    {
        var resources = new JsonArray();
        Add(resources, urls.PackagePublish, "Push and delete (unlist) packages.", "PackagePublish/2.0.0");
        Add(resources, urls.SymbolPackagePublish, "Push symbol packages (.snupkg).", "SymbolPackagePublish/4.9.0");
        Add(resources, urls.FlatContainer, "Package versions and content (restore).", "PackageBaseAddress/3.0.0");
        Add(resources, urls.ReadmeTemplate, "Package readmes, as text (404 when a package has none).", "ReadmeUriTemplate/6.13.0");
        Add(resources, urls.RegistrationBase, "Package metadata; SemVer 2.0.0 versions included.",
            "RegistrationsBaseUrl", "RegistrationsBaseUrl/3.0.0-beta", "RegistrationsBaseUrl/3.0.0-rc", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/3.6.0");
        Add(resources, urls.Search, "Search packages by id, title, tags and description.",
            "SearchQueryService", "SearchQueryService/3.0.0-beta", "SearchQueryService/3.0.0-rc", "SearchQueryService/3.4.0", "SearchQueryService/3.5.0");
        Add(resources, urls.Autocomplete, "Package id and version autocomplete.",
            "SearchAutocompleteService", "SearchAutocompleteService/3.0.0-beta", "SearchAutocompleteService/3.0.0-rc", "SearchAutocompleteService/3.5.0");
        // Always listed (an empty data file when there are no advisories): the service index stays free of storage reads,
        // and a first advisory is seen without waiting for clients' cached service index to expire.
        Add(resources, urls.Base + Advisories.AdvisoryRoutes.VulnerabilityIndexPath, "Known vulnerabilities of this feed's packages (NuGet audit).", "VulnerabilityInfo/6.7.0");
        return new JsonObject { ["version"] = "3.0.0", ["resources"] = resources };
    }

    // One entry per @type string: some tools only understand a string @type, not an array.
    private static void Add(JsonArray resources, string url, string comment, params string[] types)
    {
        foreach (var type in types)
        {
            resources.Add(new JsonObject { ["@id"] = url, ["@type"] = type, ["comment"] = comment });
        }
    }
}
