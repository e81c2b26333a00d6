using System.Collections.Concurrent;

namespace FeedFunctions.Hosting;

/// <summary>
/// Work that follows an answer (a push's event send, the deletion of a replaced package's blobs) and must not hold
/// the answer up. It runs on the thread pool, apart from the request: <c>Response.OnCompleted</c> would run it on
/// the request's connection, and Kestrel reads the next request of a keep-alive connection only after those
/// callbacks finish. Behind the Functions host that connection is the host's proxy connection, so a storage stall
/// in the callback held the next proxied request while its invocation had already reached the worker over gRPC:
/// after 15 s the worker gave up ("Timed out waiting for the function start call") and the host answered 500 once
/// the stall ended (measured: issue 18, docs/reliability.md). What runs here must be safe to lose in a crash (the
/// outbox sweep re-sends events; orphaned blobs are only garbage). Stopping the app waits for work in flight.
/// </summary>
public sealed class AfterResponseWork(ILogger<AfterResponseWork> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Task, string> _running = new();

    /// <summary>How many are in flight (tests and diagnostics).</summary>
    public int Pending => _running.Count;

    /// <summary>Starts <paramref name="work"/> now, off the request; failures are logged, never thrown.</summary>
    public void Start(string description, Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Work after the response failed: {Work}", description);
            }
        });
        _running[task] = description;
        _ = task.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits for what is in flight, as long as the host's shutdown allows.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_running.Keys.ToArray()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Stopping with {Count} piece(s) of work after responses unfinished; the outbox sweep re-sends their events", _running.Count);
        }
    }
}
