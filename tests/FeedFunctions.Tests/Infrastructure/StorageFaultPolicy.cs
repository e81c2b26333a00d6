using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>How an armed <see cref="StorageFaultPolicy"/> breaks a matching storage request.</summary>
public enum StorageFault
{
    /// <summary>The connection drops before the request reaches storage: nothing happened there.</summary>
    DropBeforeSend,

    /// <summary>Storage performed the request, then the connection dropped: the caller cannot tell it happened.</summary>
    LostResponse,

    /// <summary>A synthetic 500 InternalError (storage never sees the request).</summary>
    Status500,

    /// <summary>A synthetic 503 ServerBusy (storage never sees the request).</summary>
    Status503,

    /// <summary>The request is held back, then sent normally: slow storage.</summary>
    Delay,
}

/// <summary>
/// A per-retry pipeline policy that breaks storage requests on demand. It sits inside the retry loop, so a fault
/// that hits only one attempt shows what the retry policy hides, and a fault that hits every attempt shows what
/// the caller gets when storage stays broken. Disarmed, it passes everything through untouched.
/// </summary>
public sealed class StorageFaultPolicy : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private Func<HttpMessage, bool>? _matches;
    private StorageFault _fault;
    private int _skip;
    private int _remaining;
    private TimeSpan _delay;
    private int _injected;
    private int _injectedTotal;

    /// <summary>Faults injected since the last <see cref="Arm"/>.</summary>
    public int Injected => Volatile.Read(ref _injected);

    /// <summary>Faults injected over the policy's life.</summary>
    public int InjectedTotal => Volatile.Read(ref _injectedTotal);

    /// <summary>
    /// Breaks matching requests: the first <paramref name="skip"/> matches pass, the next <paramref name="count"/>
    /// fail (<see cref="int.MaxValue"/> = every one until <see cref="Disarm"/>).
    /// </summary>
    public void Arm(Func<HttpMessage, bool> matches, StorageFault fault, int count = int.MaxValue, int skip = 0, TimeSpan? delay = null)
    {
        lock (_gate)
        {
            _matches = matches;
            _fault = fault;
            _skip = skip;
            _remaining = count;
            _delay = delay ?? TimeSpan.FromMilliseconds(300);
            _injected = 0;
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            _matches = null;
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (!TryTake(message, out var fault, out var delay))
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            return;
        }

        switch (fault)
        {
            case StorageFault.DropBeforeSend:
                throw new IOException("Injected fault: connection dropped before the request was sent.");
            case StorageFault.LostResponse:
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                throw new IOException("Injected fault: connection dropped after storage processed the request.");
            case StorageFault.Status500:
                message.Response = new SyntheticResponse(500, "Internal Server Error", "InternalError", message.Request.ClientRequestId);
                return;
            case StorageFault.Status503:
                message.Response = new SyntheticResponse(503, "Service Unavailable", "ServerBusy", message.Request.ClientRequestId);
                return;
            case StorageFault.Delay:
                // The only sleep in the suite: it simulates storage latency, nothing waits on it for correctness.
                await Task.Delay(delay, message.CancellationToken).ConfigureAwait(false);
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                return;
        }
    }

    private bool TryTake(HttpMessage message, out StorageFault fault, out TimeSpan delay)
    {
        lock (_gate)
        {
            fault = _fault;
            delay = _delay;
            if (_matches is null || _remaining <= 0 || !_matches(message))
            {
                return false;
            }

            if (_skip > 0)
            {
                _skip--;
                return false;
            }

            if (_remaining != int.MaxValue)
            {
                _remaining--;
            }

            _injected++;
            _injectedTotal++;
            return true;
        }
    }

    /// <summary>An error response as storage would send it, with the error code header the classifier reads.</summary>
    private sealed class SyntheticResponse(int status, string reason, string errorCode, string clientRequestId) : Response
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["x-ms-error-code"] = errorCode,
            ["x-ms-request-id"] = Guid.NewGuid().ToString(),
            ["Content-Type"] = "application/xml",
        };

        public override int Status => status;

        // The transport sets IsError on real responses, and the retry policy only considers error responses;
        // without this the retry policy would never see (or retry) the synthetic 500/503.
        public override bool IsError => true;

        public override string ReasonPhrase => reason;

        public override Stream? ContentStream { get; set; } = new MemoryStream(Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{errorCode}</Code><Message>Injected fault.</Message></Error>"));

        public override string ClientRequestId { get; set; } = clientRequestId;

        public override void Dispose() => ContentStream?.Dispose();

        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);

        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));

        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);

        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }
    }
}
