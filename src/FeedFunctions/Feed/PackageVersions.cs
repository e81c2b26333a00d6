using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>All version rows of one id, in NuGet's version order (not the table's ordinal RowKey order: 10.0.0 sorts after 9.0.0).</summary>
public static class PackageVersions
{
    public static async Task<IReadOnlyList<VersionedRecord>> LoadAsync(PackageStore store, string id, CancellationToken cancellationToken)
    {
        // An id that could never have been pushed has no rows; answering 404 without a query keeps junk cheap.
        if (!PackageIdentity.TryValidateId(id, out _))
        {
            return [];
        }

        var records = await store.ListVersionsAsync(id.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        return Sort(records);
    }

    public static IReadOnlyList<VersionedRecord> Sort(IEnumerable<PackageRecord> records) =>
        records.Select(r => new VersionedRecord(r, NuGetVersion.Parse(r.Version))).OrderBy(v => v.Version).ToList();
}
