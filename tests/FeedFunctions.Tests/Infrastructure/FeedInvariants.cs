using System.Security.Cryptography;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The durability invariants, read straight from storage: every version row's blobs (.nupkg, .nuspec, readme,
/// icon) exist and the .nupkg has the row's SHA-512 (nothing half-visible), plus counts of what is left over
/// (pending events, unreferenced blobs) for the reports.
/// </summary>
public static class FeedInvariants
{
    public static FeedStorage StorageFor(AzuriteInstance azurite, string namePrefix) =>
        azurite.CreateFeedStorage(namePrefix);

    /// <param name="verifyBytes">Also download every .nupkg and compare its SHA-512 with the row's.</param>
    public static async Task<Snapshot> ReadAsync(FeedStorage storage, bool verifyBytes = true)
    {
        var rows = new List<PackageRecord>();
        var pending = 0;
        await foreach (var row in storage.PackagesTable.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            if (row.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal))
            {
                pending++;
            }
            else if (!row.RowKey.StartsWith('~'))
            {
                // Not advisory rows (~adv~, ~id~): only version rows point at blobs.
                rows.Add(PackageRecordMapper.FromEntity(row));
            }
        }

        var blobs = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in storage.Packages.GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (row, ct) =>
        {
            if (row.BlobNames.FirstOrDefault(name => !blobs.Contains(name)) is { } missing)
            {
                violations.Enqueue($"{row.Id} {row.Version}: row points to a missing blob ({missing})");
                return;
            }

            if (!verifyBytes)
            {
                return;
            }

            var download = await storage.Packages.GetBlobClient(row.BlobName).DownloadContentAsync(ct);
            if (Convert.ToBase64String(SHA512.HashData(download.Value.Content.ToMemory().Span)) != row.Sha512)
            {
                violations.Enqueue($"{row.Id} {row.Version}: blob bytes do not match the row's SHA-512");
            }
        });

        var referenced = rows.SelectMany(r => r.BlobNames).ToHashSet(StringComparer.Ordinal);
        return new Snapshot(rows, pending, blobs.Count(b => !referenced.Contains(b)), blobs.Count, violations.ToList());
    }

    public sealed record Snapshot(IReadOnlyList<PackageRecord> Rows, int PendingEvents, int UnreferencedBlobs, int Blobs, IReadOnlyList<string> Violations);
}
