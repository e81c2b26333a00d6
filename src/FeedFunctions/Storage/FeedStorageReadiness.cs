namespace FeedFunctions.Storage;

/// <summary>
/// Creating the containers, tables and queues costs several storage round trips that a cold start should not
/// wait for before answering the host's readiness probe. They run in the background from start-up; every request
/// that touches storage awaits the same task. A failed attempt (storage unreachable) is retried by the next caller.
/// </summary>
public sealed class FeedStorageReadiness(
    FeedStorage storage, Microsoft.Extensions.Options.IOptions<Feed.FeedOptions> options, IConfiguration configuration, ILogger<FeedStorageReadiness> logger)
{
    private readonly Lock _gate = new();
    private Task? _ready;

    public Task EnsureAsync()
    {
        lock (_gate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = CreateAsync();
            }

            return _ready;
        }
    }

    private async Task CreateAsync()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await storage.EnsureCreatedAsync(CancellationToken.None).ConfigureAwait(false);
            logger.LogInformation("Storage ready in {ElapsedMs:F0} ms", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (options.Value.Storage.NamePrefix.Length > 0 && !string.IsNullOrEmpty(configuration["FUNCTIONS_WORKER_RUNTIME"]))
            {
                logger.LogWarning(
                    "Feed:Storage:NamePrefix is set under the Functions host: events go to {Queue}, but the queue trigger reads {Trigger}",
                    storage.EventsQueue.Name, Events.EventFunctions.EventsQueue);
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not create the feed's storage resources; the next request tries again");
            throw;
        }
    }
}
