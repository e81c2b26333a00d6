using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>Records each request attempt (method + URI) so tests can see what actually went on the wire.</summary>
internal sealed class RecordingPolicy : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<string> Requests { get; } = new();

    public override void OnSendingRequest(HttpMessage message) =>
        Requests.Enqueue($"{message.Request.Method.Method} {message.Request.Uri.ToUri().PathAndQuery}");
}
