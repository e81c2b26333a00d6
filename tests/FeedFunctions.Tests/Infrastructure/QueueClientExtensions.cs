using Azure.Storage.Queues;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>What tests read off a queue: how many messages wait, and their texts (decoded from base64 by the client).</summary>
public static class QueueClientExtensions
{
    public static async Task<int> GetApproximateMessageCountAsync(this QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public static async Task<IReadOnlyList<string>> PeekTextsAsync(this QueueClient queue, int maxMessages = 32) =>
        (await queue.PeekMessagesAsync(maxMessages)).Value.Select(m => m.Body.ToString()).ToList();
}
