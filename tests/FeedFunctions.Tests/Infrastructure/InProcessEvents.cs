using FeedFunctions.Events;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Calls the event functions of an in-process feed directly, as the host's triggers would: the timer's sweep, and
/// the queue trigger's loop (receive, run the function, delete on success; after five failed attempts, move the
/// message to the poison queue). The host's own triggers are tested through <see cref="FunctionsHost"/>.
/// </summary>
public static class InProcessEvents
{
    private const int MaxDequeueCount = 5;

    public static Task SweepAsync(FeedAppHost host) =>
        Functions(host).SweepOutbox(new TimerInfo(), CancellationToken.None);

    /// <summary>Processes messages until the events queue is empty; returns how many invocations ran.</summary>
    public static async Task<int> DrainAsync(FeedAppHost host, TimeSpan? timeout = null)
    {
        var functions = Functions(host);
        var queue = host.Storage.EventsQueue;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var invocations = 0;
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (messages.Length == 0)
            {
                return invocations;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The events queue did not drain within {timeout}.");
            }

            foreach (var message in messages)
            {
                invocations++;
                try
                {
                    await functions.ProcessPackageEvent(message.Body.ToString(), message.MessageId, message.DequeueCount, CancellationToken.None);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                catch (PackageEventFailedException) when (message.DequeueCount >= MaxDequeueCount)
                {
                    await host.Storage.PoisonQueue.SendMessageAsync(message.Body.ToString());
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                catch (PackageEventFailedException)
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
        }
    }

    private static EventFunctions Functions(FeedAppHost host) => ActivatorUtilities.CreateInstance<EventFunctions>(host.Services);
}
