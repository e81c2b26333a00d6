using Azure.Storage.Blobs;

namespace FeedBench;

/// <summary>Everything the benchmarks share: settings, the storage, the published executables and the results.</summary>
internal sealed class BenchContext
{
    public required string ConnectionString { get; init; }

    public required string FeedExecutable { get; init; }

    public required string EmptyExecutable { get; init; }

    public required bool Smoke { get; init; }

    /// <summary>Log the app's per-phase push timings and report their medians next to the latency rows.</summary>
    public bool Phases { get; init; }

    public long MaxLatencyBytes { get; init; } = long.MaxValue;

    /// <summary>Storage name prefix of this run, so runs against one Azurite never meet.</summary>
    public required string Prefix { get; init; }

    public required string ApiKey { get; init; }

    public required RawStorage Raw { get; init; }

    public required BenchPackages Packages { get; init; }

    public ResultTable Results { get; } = new();

    /// <summary>A distinct id per run, so repeated runs against one storage account never collide.</summary>
    public string RunTag { get; } = Guid.NewGuid().ToString("N")[..6];

    public BlobContainerClient FeedPackages => new(ConnectionString, Prefix + "-packages");

    public Dictionary<string, string> FeedEnvironment => new()
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Feed__ApiKey"] = ApiKey,
        ["Feed__Storage__NamePrefix"] = Prefix,
    };

    public AppProcess StartFeed(bool phases = false)
    {
        var environment = FeedEnvironment;
        if (phases)
        {
            environment["Logging__LogLevel__FeedFunctions.Publishing.PushHandler"] = "Debug";
        }

        return AppProcess.Start(FeedExecutable, environment, feed: true);
    }

    /// <summary>Frees what a pushed package holds in Azurite's memory (its blob folder).</summary>
    public async Task DeletePushedBlobsAsync(string id, string version, CancellationToken cancellationToken)
    {
        var container = FeedPackages;
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{id.ToLowerInvariant()}/{version.ToLowerInvariant()}/", cancellationToken))
        {
            names.Add(blob.Name);
        }

        foreach (var name in names)
        {
            await container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
    }
}
