using NuGet.Versioning;

namespace FeedFunctions.Advisories;

/// <summary>
/// A vulnerability advisory for a version range of one package id on this feed. <see cref="Versions"/> is in NuGet's
/// range syntax, normalized (a bare <c>1.0.0</c> means <c>[1.0.0, )</c>, as everywhere in NuGet).
/// </summary>
public sealed record Advisory(
    string AdvisoryId, string PackageId, string Versions, int Severity, string Url, DateTimeOffset Created, string? CreatedBy)
{
    public string LowerId => PackageId.ToLowerInvariant();

    public bool Covers(NuGetVersion version) => VersionRange.TryParse(Versions, out var range) && range.Satisfies(version);

    public IReadOnlyDictionary<string, string> EventDetails() => new Dictionary<string, string>
    {
        ["advisoryId"] = AdvisoryId,
        ["url"] = Url,
        ["severity"] = AdvisorySeverity.Name(Severity),
        ["versions"] = Versions,
    };
}
