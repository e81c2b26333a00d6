using System.Text.Json.Serialization;
using FeedFunctions.Packages;

namespace FeedFunctions.Search;

/// <summary>
/// What search and the home page show of an id's latest visible version: the row's own fields, capped at the push
/// limits, and a catalog entry cut down to the fields search reads (summary, URLs, tags, package types).
/// </summary>
public sealed class SearchIndexLatest
{
    private PackageRecord? _record;

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("v")]
    public required string Version { get; init; }

    [JsonPropertyName("f")]
    public required string FullVersion { get; init; }

    [JsonPropertyName("pre")]
    public bool IsPrerelease { get; init; }

    [JsonPropertyName("sv2")]
    public bool IsSemVer2 { get; init; }

    [JsonPropertyName("d")]
    public string? Description { get; init; }

    [JsonPropertyName("t")]
    public string? Title { get; init; }

    [JsonPropertyName("tags")]
    public string? Tags { get; init; }

    [JsonPropertyName("a")]
    public string? Authors { get; init; }

    [JsonPropertyName("icon")]
    public string? IconBlobName { get; init; }

    /// <summary>The cut-down catalog entry (JSON), which the search result renders as it renders a row's.</summary>
    [JsonPropertyName("cat")]
    public string Catalog { get; init; } = "{}";

    [JsonPropertyName("types")]
    public IReadOnlyList<string> PackageTypes { get; init; } = [];

    /// <summary>
    /// As a package row, so the search document and the home page render index hits with the very code that renders
    /// scanned rows (fields search never shows stay empty).
    /// </summary>
    public PackageRecord ToRecord() => _record ??= new PackageRecord
    {
        Id = Id,
        Version = Version,
        FullVersion = FullVersion,
        Listed = true,
        Published = DateTimeOffset.MinValue,
        Size = 0,
        Sha512 = string.Empty,
        BlobName = string.Empty,
        IsPrerelease = IsPrerelease,
        IsSemVer2 = IsSemVer2,
        CatalogJson = Catalog,
        Description = Description,
        Title = Title,
        Tags = Tags,
        Authors = Authors,
        IconBlobName = IconBlobName,
    };
}
