using Microsoft.Extensions.Options;

namespace FeedFunctions.Events;

/// <summary>Local stand-in for the SweepOutbox timer function: sweeps the outbox every <see cref="EventsOptions.SweepInterval"/>.</summary>
internal sealed class LocalOutboxSweeper(FeedFunctions.Storage.FeedStorageReadiness readiness, PackageEventOutbox outbox, IOptions<EventsOptions> options, ILogger<LocalOutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await readiness.EnsureAsync().WaitAsync(stoppingToken);
                    await outbox.SweepAsync(options.Value.SweepAge, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Outbox sweep failed; trying again at the next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
