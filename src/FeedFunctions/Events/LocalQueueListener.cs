using Azure.Storage.Queues.Models;
using FeedFunctions.Hosting;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Events;

/// <summary>
/// Local runs have no Functions host, so this plays the queue trigger with the host's semantics: messages are
/// leased with a visibility timeout, a failure makes the message visible again after <see cref="EventsOptions.RetryDelay"/>,
/// and after <see cref="EventsOptions.MaxDequeueCount"/> attempts it moves to the <c>-poison</c> queue. It calls the
/// same <see cref="PackageEventDispatcher"/> the <c>ProcessPackageEvent</c> function does.
/// </summary>
internal sealed class LocalQueueListener(
    FeedStorage storage,
    FeedStorageReadiness readiness,
    PackageEventDispatcher dispatcher,
    IOptions<EventsOptions> options,
    ILogger<LocalQueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    public static bool ShouldRun(IConfiguration configuration, EventsOptions options) =>
        options.LocalListener && !ListenAddress.RunsUnderFunctionsHost(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idleDelay = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await readiness.EnsureAsync().WaitAsync(stoppingToken);
                QueueMessage[] messages = await storage.EventsQueue.ReceiveMessagesAsync(16, Lease, stoppingToken);
                foreach (var message in messages)
                {
                    await ProcessAsync(message, stoppingToken);
                }

                idleDelay = messages.Length > 0
                    ? TimeSpan.FromMilliseconds(50)
                    : TimeSpan.FromTicks(Math.Min(idleDelay.Ticks * 2, options.Value.MaxPollingInterval.Ticks));
                if (messages.Length == 0)
                {
                    await Task.Delay(idleDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Local queue listener could not poll {Queue}; retrying", storage.EventsQueue.Name);
                await Task.Delay(options.Value.MaxPollingInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var text = message.Body.ToString();
        var outcome = await dispatcher.DispatchAsync(text, new PackageEventDelivery(message.MessageId, message.DequeueCount), cancellationToken);
        if (outcome.Succeeded)
        {
            await storage.EventsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return;
        }

        if (message.DequeueCount >= options.Value.MaxDequeueCount)
        {
            // Same as the host: copy to <queue>-poison, then remove the original.
            await storage.PoisonQueue.SendMessageAsync(text, cancellationToken);
            await storage.EventsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            logger.LogError("Message {MessageId} failed {Count} times; moved to {PoisonQueue}", message.MessageId, message.DequeueCount, storage.PoisonQueue.Name);
            return;
        }

        await storage.EventsQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: options.Value.RetryDelay, cancellationToken: cancellationToken);
    }
}
