using System.Security.Cryptography;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The durability invariants, read straight from storage: every version row's .nupkg and .nuspec exist and the
/// .nupkg has the row's SHA-512 (nothing half-visible), plus counts of what is left over (pending events,
/// unreferenced blobs) for the reports.
/// </summary>
public static class FeedInvariants
{
    public static FeedStorage StorageFor(AzuriteInstance azurite, string namePrefix) =>
        new(azurite.Connection, Options.Create(new FeedOptions { Storage = new FeedStorageOptions { NamePrefix = namePrefix } }));

    public static async Task<Snapshot> ReadAsync(FeedStorage storage)
    {
        var rows = new List<PackageRecord>();
        var pending = 0;
        await foreach (var row in storage.PackagesTable.QueryAsync(null))
        {
            if (row.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal))
            {
                pending++;
            }
            else
            {
                rows.Add(PackageRecordMapper.FromEntity(row));
            }
        }

        var blobs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var name in storage.Packages.GetBlobNamesAsync())
        {
            blobs.Add(name);
        }

        var violations = new List<string>();
        foreach (var row in rows)
        {
            if (!blobs.Contains(row.BlobName) || !blobs.Contains(row.NuspecBlobName))
            {
                violations.Add($"{row.Id} {row.Version}: row points to a missing blob ({row.BlobName})");
                continue;
            }

            await using var download = await storage.Packages.GetBlobClient(row.BlobName).DownloadStreamingAsync();
            using var copy = new MemoryStream();
            await download.Content.CopyToAsync(copy);
            if (Convert.ToBase64String(SHA512.HashData(copy.ToArray())) != row.Sha512)
            {
                violations.Add($"{row.Id} {row.Version}: blob bytes do not match the row's SHA-512");
            }
        }

        var referenced = rows.SelectMany(r => new[] { r.BlobName, r.NuspecBlobName }).ToHashSet(StringComparer.Ordinal);
        return new Snapshot(rows, pending, blobs.Count(b => !referenced.Contains(b)), blobs.Count, violations);
    }

    public sealed record Snapshot(IReadOnlyList<PackageRecord> Rows, int PendingEvents, int UnreferencedBlobs, int Blobs, IReadOnlyList<string> Violations);
}
