using FeedFunctions.Packages;
using Azure.Data.Tables;
using FeedFunctions.Storage;

namespace FeedFunctions.Feed;

/// <summary>
/// Read-side queries on the Packages table. Free-text search reads the search index (see Search/); only while the
/// index is being built does it scan the whole table here (one request per 1,000 rows). Queries naming ids
/// (<c>id:Foo</c>, autocomplete's <c>id=</c>) read only those partitions.
/// </summary>
public sealed class PackageRowQueries(FeedStorage storage, PackageStore store)
{
    /// <summary>The Table service returns at most 1,000 rows per request.</summary>
    private const int MaxPageSize = 1000;

    /// <summary>Everything search shows or filters on (the icon's blob name makes its iconUrl), and no hashes or sessions.</summary>
    private static readonly string[] Columns =
    [
        "PartitionKey", "RowKey", "Id", "Version", "FullVersion", "Listed", "Published",
        "IsPrerelease", "IsSemVer2", "CatalogJson", "Description", "Tags", "Authors", "Title", "IconBlobName",
    ];

    /// <summary>The rows a search reads: only the partitions it names by id, otherwise the whole table.</summary>
    public Task<IReadOnlyList<PackageRecord>> ForQueryAsync(SearchQuery query, CancellationToken cancellationToken) =>
        query.ExactIds.Count > 0 ? ReadIdsAsync(query.ExactIds, cancellationToken) : ScanAllAsync(cancellationToken);

    public async Task<IReadOnlyList<PackageRecord>> ScanAllAsync(CancellationToken cancellationToken)
    {
        var records = new List<PackageRecord>();
        await foreach (var entity in storage.PackagesTable.QueryAsync<TableEntity>(PackageRows.VersionRowsOnly, MaxPageSize, Columns, cancellationToken)
                           .ConfigureAwait(false))
        {
            records.Add(PackageRecordMapper.FromEntity(entity));
        }

        return records;
    }

    public async Task<IReadOnlyList<PackageRecord>> ReadIdsAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        // Bounded fan-out: a query naming more ids than this is not one the client sends.
        var valid = ids.Where(id => PackageIdentity.TryValidateId(id, out _)).Select(id => id.ToLowerInvariant()).Distinct().Take(20);
        var partitions = await Task.WhenAll(valid.Select(id => store.ListVersionsAsync(id, cancellationToken))).ConfigureAwait(false);
        return partitions.SelectMany(p => p).ToList();
    }

    /// <summary>
    /// The flat container's version list. The RowKey is already the lowercase normalized version, so only keys
    /// are read: measured ~3x faster than full rows at 100-500 versions (see README).
    /// </summary>
    public async Task<IReadOnlyList<string>> ListLowerVersionsAsync(string lowerId, CancellationToken cancellationToken)
    {
        var versions = new List<string>();
        await foreach (var entity in storage.PackagesTable.QueryAsync<TableEntity>(PackageRows.VersionsOf(lowerId), MaxPageSize, ["RowKey"], cancellationToken)
                           .ConfigureAwait(false))
        {
            versions.Add(entity.RowKey);
        }

        return versions;
    }
}
