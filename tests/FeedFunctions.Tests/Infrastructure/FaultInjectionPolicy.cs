using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>Fails storage requests that match a predicate while <see cref="Enabled"/>, as a dropped connection would.</summary>
internal sealed class FaultInjectionPolicy(Func<HttpMessage, bool> matches) : HttpPipelinePolicy
{
    private int _injected;

    public volatile bool Enabled = true;

    public int Injected => _injected;

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        return ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Fail(message);
        ProcessNext(message, pipeline);
    }

    private void Fail(HttpMessage message)
    {
        if (Enabled && matches(message))
        {
            Interlocked.Increment(ref _injected);
            throw new IOException("Injected fault: connection dropped.");
        }
    }
}
