using Azure.Data.Tables;

namespace FeedFunctions.Packages;

/// <summary>
/// Filters over the Packages table: a partition per lowercase id, a row per lowercase normalized version, and the
/// pending-event rows of the outbox ('~evt~...'), which sort after every version (versions start with a digit).
/// </summary>
public static class PackageRows
{
    public const string VersionRowsOnly = "RowKey lt '~'";

    public static string VersionsOf(string lowerId) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {lowerId} and RowKey lt {"~"}");
}
