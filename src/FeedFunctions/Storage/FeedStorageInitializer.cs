namespace FeedFunctions.Storage;

/// <summary>
/// Creates the feed's containers, tables and queues before Kestrel starts listening, so no request ever meets
/// a missing resource (hosted services registered by the app start before the server).
/// </summary>
internal sealed class FeedStorageInitializer(FeedStorage storage, ILogger<FeedStorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await storage.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Storage ready in {ElapsedMs:F0} ms", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
