using System.Diagnostics;
using Azure.Storage.Blobs;

namespace FeedBench;

/// <summary>Everything the benchmarks share: settings, the storage, the published executables and the results.</summary>
internal sealed class BenchContext
{
    public required string ConnectionString { get; init; }

    /// <summary>Azure Functions Core Tools' func (or the launcher of the host with the same options).</summary>
    public required string Func { get; init; }

    /// <summary>The feed as published by scripts/publish.sh (publish/app).</summary>
    public required string FeedFolder { get; init; }

    /// <summary>bench/EmptyFunctionApp published the same way: the host plus an isolated worker with one HTTP function.</summary>
    public required string EmptyFolder { get; init; }

    public required bool Smoke { get; init; }

    /// <summary>Log the app's per-phase push timings and report their medians next to the latency rows.</summary>
    public bool Phases { get; init; }

    public long MaxLatencyBytes { get; init; } = long.MaxValue;

    /// <summary>Name prefix of the floor's container and table. The feed uses its own names: the Azurite is the run's.</summary>
    public required string Prefix { get; init; }

    public required string ApiKey { get; init; }

    public required RawStorage Raw { get; init; }

    public required BenchPackages Packages { get; init; }

    public ResultTable Results { get; } = new();

    /// <summary>What the table alone does not say (discarded samples, stall windows), printed under it.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>A distinct id per run, so repeated runs against one storage account never collide.</summary>
    public string RunTag { get; } = Guid.NewGuid().ToString("N")[..6];

    /// <summary>The feed's own storage names (a deployed feed uses no prefix).</summary>
    private static readonly FeedFunctions.Feed.FeedStorageOptions FeedNames = new();

    public BlobContainerClient FeedPackages => new(ConnectionString, FeedNames.PackagesContainer);

    /// <summary>
    /// Waits until the feed is idle again after a push: its outbox is empty (the event is sent and the pending row
    /// cleared just after the response) and the event's queue message is consumed (the queue trigger's handlers ran
    /// and deleted it). That background work is real, and throughput counts it, but in a latency sample it would
    /// land on whatever is measured next (usually the floor). Not part of the push's time.
    /// </summary>
    public async Task WaitForFeedIdleAsync(CancellationToken cancellationToken)
    {
        var table = new Azure.Data.Tables.TableClient(ConnectionString, FeedNames.PackagesTable);
        var queue = new Azure.Storage.Queues.QueueClient(ConnectionString, FeedNames.EventsQueue);
        const string outbox = FeedFunctions.Events.PackageEventOutbox.RowKeyPrefix;
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var pending = false;
            await foreach (var _ in table.QueryAsync<Azure.Data.Tables.TableEntity>($"RowKey ge '{outbox}' and RowKey lt '{outbox}~'", maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                pending = true;
                break;
            }

            // The approximate count includes messages a trigger has received and not yet deleted.
            if (!pending && (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount == 0)
            {
                return;
            }

            await Task.Delay(5, cancellationToken);
        }

        throw new TimeoutException("The feed did not become idle (outbox empty, events consumed) within 30 s after a push.");
    }

    public Dictionary<string, string> FeedEnvironment => new()
    {
        ["AzureWebJobsStorage"] = ConnectionString,
        ["Feed__ApiKey"] = ApiKey,
        ["Feed__Events__SweepSchedule"] = "0 */5 * * * *",

        // The queue trigger looks for the events within 100 ms instead of up to 2 s, so a latency sample can wait
        // for the feed to be idle (WaitForFeedIdleAsync) without stretching the run.
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.100",
        ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = "263192576",
    };

    /// <summary>Where runs write their host logs (bench/.out).</summary>
    public string OutputFolder { get; init; } = Path.GetTempPath();

    /// <summary>Run the feed with the log levels a user gets (host.json and the worker's own), not the bench's Warning.</summary>
    public bool DefaultLogLevels { get; init; }

    public HostProcess StartFeed(bool phases = false, string? logFile = null, bool defaultLogLevels = false)
    {
        var environment = FeedEnvironment;
        if (phases)
        {
            // Debug in the worker, and let the host pass the push function's Debug lines through.
            environment["Logging__LogLevel__FeedFunctions.Publishing.PushHandler"] = "Debug";
            environment["AzureFunctionsJobHost__logging__logLevel__Function.PushPackage.User"] = "Debug";
        }

        return HostProcess.Start(Func, FeedFolder, "FeedFunctions.dll", environment, logFile, defaultLogLevels);
    }

    public HostProcess StartEmpty() =>
        HostProcess.Start(Func, EmptyFolder, "EmptyFunctionApp.dll", new Dictionary<string, string> { ["AzureWebJobsStorage"] = ConnectionString });

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
