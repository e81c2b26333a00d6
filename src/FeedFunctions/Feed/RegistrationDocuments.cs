using System.Globalization;
using System.Text.Json.Nodes;
using FeedFunctions.Advisories;
using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>
/// RegistrationsBaseUrl documents. The client reads pages' lower/upper/items and each leaf's catalogEntry
/// (listed, dependencyGroups, display fields) and packageContent; the rest follows the spec for other tools.
/// </summary>
public static class RegistrationDocuments
{
    /// <summary>nuget.org's heuristic: inline every leaf up to this many versions, else link pages.</summary>
    public const int MaxInlinedVersions = 128;

    public const int PageSize = 64;

    public static JsonObject Index(FeedUrls urls, string lowerId, IReadOnlyList<VersionedRecord> versions, IReadOnlyList<Advisory>? advisories = null)
    {
        var indexUrl = urls.RegistrationIndex(lowerId);
        var inline = versions.Count <= MaxInlinedVersions;
        var pages = new JsonArray();
        foreach (var chunk in inline ? [versions.ToArray()] : versions.Chunk(PageSize))
        {
            pages.Add(Page(urls, lowerId, chunk, withItems: inline, advisories: advisories));
        }

        return new JsonObject
        {
            ["@id"] = indexUrl,
            ["@type"] = new JsonArray("catalog:CatalogRoot", "PackageRegistration", "catalog:Permalink"),
            ["count"] = pages.Count,
            ["items"] = pages,
        };
    }

    /// <summary>
    /// A page. In the index of a small id it carries its leaves (and a fragment @id, as it has no document of its
    /// own); otherwise the index links it and the client fetches the leaves from its @id.
    /// </summary>
    public static JsonObject Page(
        FeedUrls urls, string lowerId, IReadOnlyList<VersionedRecord> chunk, bool withItems, bool standalone = false, IReadOnlyList<Advisory>? advisories = null)
    {
        var lower = chunk[0].Version.ToNormalizedString().ToLowerInvariant();
        var upper = chunk[^1].Version.ToNormalizedString().ToLowerInvariant();
        var indexUrl = urls.RegistrationIndex(lowerId);
        var page = new JsonObject
        {
            ["@id"] = withItems && !standalone ? $"{indexUrl}#page/{lower}/{upper}" : urls.RegistrationPage(lowerId, lower, upper),
            ["@type"] = "catalog:CatalogPage",
            ["count"] = chunk.Count,
            ["lower"] = lower,
            ["upper"] = upper,
            ["parent"] = indexUrl,
        };
        if (withItems)
        {
            page["items"] = new JsonArray(chunk.Select(v => (JsonNode?)PageLeaf(urls, v.Record, advisories)).ToArray());
        }

        return page;
    }

    /// <summary>The standalone leaf document (<c>{version}.json</c>); the catalog entry is inlined since this feed has no catalog.</summary>
    public static JsonObject Leaf(FeedUrls urls, PackageRecord record, IReadOnlyList<Advisory>? advisories = null) => new()
    {
        ["@id"] = urls.RegistrationLeaf(record.LowerId, record.LowerVersion),
        ["@type"] = new JsonArray("Package", "http://schema.nuget.org/catalog#Permalink"),
        ["catalogEntry"] = CatalogEntry(urls, record, advisories),
        ["listed"] = record.Listed,
        ["packageContent"] = urls.PackageContent(record.LowerId, record.LowerVersion),
        ["published"] = Timestamp(record.Published),
        ["registration"] = urls.RegistrationIndex(record.LowerId),
    };

    private static JsonObject PageLeaf(FeedUrls urls, PackageRecord record, IReadOnlyList<Advisory>? advisories) => new()
    {
        ["@id"] = urls.RegistrationLeaf(record.LowerId, record.LowerVersion),
        ["@type"] = "Package",
        ["commitTimeStamp"] = Timestamp(record.Published),
        ["catalogEntry"] = CatalogEntry(urls, record, advisories),
        ["packageContent"] = urls.PackageContent(record.LowerId, record.LowerVersion),
        ["registration"] = urls.RegistrationIndex(record.LowerId),
    };

    /// <summary>
    /// The push-time JSON plus what depends on the request or changes later (URLs, listed, deprecation from the row,
    /// vulnerabilities from the id's advisories that cover this version).
    /// </summary>
    public static JsonObject CatalogEntry(FeedUrls urls, PackageRecord record, IReadOnlyList<Advisory>? advisories = null)
    {
        var entryUrl = urls.RegistrationLeaf(record.LowerId, record.LowerVersion);
        var entry = JsonNode.Parse(record.CatalogJson) as JsonObject ?? [];
        entry["@id"] = entryUrl;
        entry["listed"] = record.Listed;
        entry["published"] = Timestamp(record.Published);
        entry["packageContent"] = urls.PackageContent(record.LowerId, record.LowerVersion);
        AddEmbeddedFileUrls(urls, record, entry);
        AddDeprecationAndVulnerabilities(record, advisories, entry);
        if (entry["dependencyGroups"] is JsonArray groups)
        {
            foreach (var group in groups.OfType<JsonObject>())
            {
                DecorateGroup(urls, entryUrl, group);
            }
        }

        return entry;
    }

    /// <summary>
    /// As nuget.org does: an embedded icon replaces the (deprecated) external iconUrl, and readmeUrl points at the
    /// readme, so Visual Studio and <c>dotnet package search</c> show both without downloading the package.
    /// </summary>
    public static void AddEmbeddedFileUrls(FeedUrls urls, PackageRecord record, JsonObject entry)
    {
        if (!string.IsNullOrEmpty(record.IconBlobName))
        {
            entry["iconUrl"] = urls.Icon(record.LowerId, record.LowerVersion);
        }

        if (!string.IsNullOrEmpty(record.ReadmeBlobName))
        {
            entry["readmeUrl"] = urls.Readme(record.LowerId, record.LowerVersion);
        }
    }

    /// <summary>
    /// <c>deprecation</c> {reasons, message, alternatePackage {id, range}} and <c>vulnerabilities</c> [{advisoryUrl,
    /// severity}] (severity as a string, as nuget.org serves it), which <c>dotnet list package --deprecated</c> and
    /// Visual Studio read.
    /// </summary>
    private static void AddDeprecationAndVulnerabilities(PackageRecord record, IReadOnlyList<Advisory>? advisories, JsonObject entry)
    {
        if (PackageDeprecation.FromJson(record.Deprecation) is { } deprecation)
        {
            var json = deprecation.ToJson();
            json["@id"] = $"{entry["@id"]}#deprecation";
            entry["deprecation"] = json;
        }

        if (advisories is not { Count: > 0 } || !NuGetVersion.TryParse(record.Version, out var version))
        {
            return;
        }

        var covering = advisories.Where(a => a.Covers(version)).OrderByDescending(a => a.Severity).ToList();
        if (covering.Count > 0)
        {
            entry["vulnerabilities"] = new JsonArray(covering
                .Select(a => (JsonNode?)new JsonObject { ["advisoryUrl"] = a.Url, ["severity"] = a.Severity.ToString(CultureInfo.InvariantCulture) })
                .ToArray());
        }
    }

    private static void DecorateGroup(FeedUrls urls, string entryUrl, JsonObject group)
    {
        var framework = group["targetFramework"]?.GetValue<string>();
        var groupUrl = framework is null ? $"{entryUrl}#dependencygroup" : $"{entryUrl}#dependencygroup/{framework.ToLowerInvariant()}";
        group["@id"] = groupUrl;
        group["@type"] = "PackageDependencyGroup";
        if (group["dependencies"] is not JsonArray dependencies)
        {
            return;
        }

        foreach (var dependency in dependencies.OfType<JsonObject>())
        {
            var lowerDependencyId = dependency["id"]?.GetValue<string>().ToLowerInvariant() ?? string.Empty;
            dependency["@id"] = $"{groupUrl}/{lowerDependencyId}";
            dependency["@type"] = "PackageDependency";
            dependency["registration"] = urls.RegistrationIndex(lowerDependencyId);
        }
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
