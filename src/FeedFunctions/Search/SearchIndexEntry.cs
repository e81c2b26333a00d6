using System.Text.Json.Serialization;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Search;

/// <summary>
/// One package id in the search index, recomputed from the id's rows on every event: for each visibility class the
/// latest visible version (<see cref="Classes"/> points into <see cref="Latest"/>, which holds each distinct one
/// once), and the listed versions in version order (the newest <see cref="SearchIndexCodec.MaxVersions"/> at most).
/// An id with no listed version keeps an entry with no class (a tombstone), so every instance's copy sees the change.
/// </summary>
public sealed record SearchIndexEntry
{
    [JsonPropertyName("lid")]
    public required string LowerId { get; init; }

    [JsonPropertyName("latest")]
    public IReadOnlyList<SearchIndexLatest> Latest { get; init; } = [];

    /// <summary>Per class (<see cref="SearchIndexClass"/>): the index into <see cref="Latest"/>, or -1 when nothing is visible.</summary>
    [JsonPropertyName("classes")]
    public IReadOnlyList<int> Classes { get; init; } = [-1, -1, -1, -1];

    [JsonPropertyName("versions")]
    public IReadOnlyList<SearchIndexVersion> Versions { get; init; } = [];

    /// <summary>How many older listed versions were left out to keep the entry bounded.</summary>
    [JsonPropertyName("trimmed")]
    public int TrimmedVersions { get; init; }

    /// <summary>The row's ETag when read from the table: an unchanged row is not decoded again.</summary>
    [JsonIgnore]
    public string? ETag { get; init; }

    public static SearchIndexEntry Tombstone(string lowerId) => new() { LowerId = lowerId };

    /// <summary>The latest version this query class sees, or null when it sees none.</summary>
    public SearchIndexLatest? LatestFor(int queryClass) =>
        queryClass is >= 0 and < SearchIndexClass.Count && Classes.Count == SearchIndexClass.Count && Classes[queryClass] is var i && i >= 0 && i < Latest.Count
            ? Latest[i]
            : null;

    /// <summary>The search hit this class sees: its visible versions in order, the latest (a full record) last.</summary>
    public SearchHit ToHit(int queryClass)
    {
        var latest = LatestFor(queryClass) ?? throw new InvalidOperationException($"'{LowerId}' has no version visible to class {queryClass}.");
        var latestRecord = latest.ToRecord();
        var versions = new List<VersionedRecord>();
        foreach (var version in Versions.Where(v => v.IsVisibleTo(queryClass)))
        {
            if (version.Version.Equals(latest.Version, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var record = latestRecord with { Version = version.Version, FullVersion = version.FullVersion, IsPrerelease = (version.Class & SearchIndexClass.Prerelease) != 0 };
            versions.Add(new VersionedRecord(record, NuGetVersion.Parse(version.Version)));
        }

        versions.Add(new VersionedRecord(latestRecord, NuGetVersion.Parse(latest.Version)));
        return new SearchHit(versions.OrderBy(v => v.Version).ToList());
    }
}
