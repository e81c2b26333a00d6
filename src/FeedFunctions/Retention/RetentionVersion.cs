using Azure;
using Azure.Data.Tables;
using NuGet.Versioning;

namespace FeedFunctions.Retention;

/// <summary>What the rules need of one version row, and nothing more (no catalog JSON): see <see cref="Columns"/>.</summary>
public sealed record RetentionVersion(
    string Id, string Version, string LowerVersion, NuGetVersion Parsed, bool Listed, DateTimeOffset Published, long Size, ETag? ETag)
{
    public static readonly string[] Columns = ["PartitionKey", "RowKey", "Id", "Version", "Listed", "Published", "Size"];

    public bool IsPrerelease => Parsed.IsPrerelease;

    /// <summary>Null for a row whose key is not a version (never written by the feed).</summary>
    public static RetentionVersion? FromEntity(TableEntity entity) =>
        NuGetVersion.TryParse(entity.RowKey, out var parsed)
            ? new RetentionVersion(
                entity.GetString("Id") ?? entity.PartitionKey,
                entity.GetString("Version") ?? entity.RowKey,
                entity.RowKey,
                parsed,
                entity.GetBoolean("Listed") ?? true,
                entity.GetDateTimeOffset("Published") ?? DateTimeOffset.MinValue,
                entity.GetInt64("Size") ?? 0,
                entity.ETag == default ? null : entity.ETag)
            : null;
}
