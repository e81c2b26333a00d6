using System.Net;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// A minimal OTLP/HTTP receiver on loopback for host tests: keeps the protobuf bodies posted to <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> and answers 200. No protobuf decoding (OpenTelemetry.Proto is not
/// available here): tests look for span, metric and scope names and trace ids, which protobuf stores as plain bytes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, byte[] Body)> _posts = [];
    private readonly Task _loop;

    private OtlpReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Endpoint { get; }

    public static OtlpReceiver Start() => new(FunctionsHost.FreePort());

    /// <summary>Whether any body posted to <paramref name="path"/> contains <paramref name="bytes"/>.</summary>
    public bool Received(string path, ReadOnlySpan<byte> bytes)
    {
        lock (_posts)
        {
            foreach (var (posted, body) in _posts)
            {
                if (posted == path && body.AsSpan().IndexOf(bytes) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public bool Received(string path, string text) => Received(path, System.Text.Encoding.UTF8.GetBytes(text));

    public int Count(string path)
    {
        lock (_posts)
        {
            return _posts.Count(p => p.Path == path);
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            lock (_posts)
            {
                _posts.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
