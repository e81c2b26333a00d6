using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs.Models;
using FeedFunctions.Storage;

namespace FeedFunctions.Advisories;

/// <summary>
/// Every advisory as one VulnerabilityInfo data file, kept in one blob and rewritten on each advisory change
/// (advisories change rarely; restores read them all the time), so serving it costs one blob read whatever the
/// feed's size. Its name starts with '~', which no package id does, so it sits beside the package folders.
/// </summary>
public sealed class AdvisorySnapshot(FeedStorage storage)
{
    public const string BlobName = "~advisories/vulnerabilities.json";

    private const string HashMetadata = "sha256";

    /// <summary>Concurrent rebuilds each retry until one wrote what it read after everyone else's write.</summary>
    private const int MaxAttempts = 20;

    /// <summary>
    /// Rewrites the blob from the advisory rows. Each attempt reads the blob's ETag first and the rows second, and
    /// writes only if the blob still has that ETag: a rebuild that read the rows before another change committed
    /// can never overwrite the rebuild that read them after. Skips the write when the content is unchanged (the
    /// event handler's rebuild after the writer's own).
    /// </summary>
    public async Task RebuildAsync(AdvisoryStore store, CancellationToken cancellationToken)
    {
        var blob = storage.Packages.GetBlobClient(BlobName);
        for (var attempt = 1; ; attempt++)
        {
            BlobProperties? current = null;
            try
            {
                current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }

            var bytes = Build(await store.ListAsync(cancellationToken).ConfigureAwait(false));
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (current is not null && current.Metadata.TryGetValue(HashMetadata, out var stored) && stored == hash)
            {
                return;
            }

            try
            {
                await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions
                {
                    Conditions = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = current.ETag },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json; charset=utf-8" },
                    Metadata = new Dictionary<string, string> { [HashMetadata] = hash },
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Someone else rewrote it meanwhile: read again.
            }
        }
    }

    /// <summary>The data file: lowercase id → [{url, severity, versions}], in a stable order.</summary>
    public static byte[] Build(IEnumerable<Advisory> advisories)
    {
        var root = new JsonObject();
        foreach (var group in advisories.GroupBy(a => a.LowerId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            root[group.Key] = new JsonArray(group.OrderBy(a => a.Url, StringComparer.Ordinal).ThenBy(a => a.Versions, StringComparer.Ordinal)
                .Select(a => (JsonNode?)new JsonObject { ["url"] = a.Url, ["severity"] = a.Severity, ["versions"] = a.Versions })
                .ToArray());
        }

        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
