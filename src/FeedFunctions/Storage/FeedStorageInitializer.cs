namespace FeedFunctions.Storage;

/// <summary>Starts creating the storage resources at start-up without holding up Kestrel (see <see cref="FeedStorageReadiness"/>).</summary>
internal sealed class FeedStorageInitializer(FeedStorageReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Observed here so a failure is only logged (by the readiness) and retried by the first request.
        _ = readiness.EnsureAsync().ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
