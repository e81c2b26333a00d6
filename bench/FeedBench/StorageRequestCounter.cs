using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedBench;

/// <summary>Counts the storage requests (each attempt) the app's own clients send, as added to their pipelines.</summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
}
