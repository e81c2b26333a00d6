using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace FeedBench.Soak;

/// <summary>
/// A loopback TCP relay in front of one Azurite port that injects the storage faults the soak needs: every open
/// connection reset at once (what a storage front end restarting does), or all traffic held for a while (a latency
/// spike). The feed and the host reach storage only through it. Written here because no fault-injecting proxy is
/// available on these machines; it copies bytes and knows nothing of HTTP.
/// </summary>
internal sealed class FaultyTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile TaskCompletionSource _gate = Open();

    public FaultyTcpProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Resets { get; private set; }

    public int Holds { get; private set; }

    /// <summary>Resets every connection open now.</summary>
    public void ResetAll()
    {
        Resets++;
        foreach (var socket in _open.Keys)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Holds every byte in both directions for <paramref name="duration"/>.</summary>
    public async Task HoldAsync(TimeSpan duration)
    {
        Holds++;
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = held;
        await Task.Delay(duration).ConfigureAwait(false);
        held.TrySetResult();
        _gate = Open();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        ResetAll();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _target).ConfigureAwait(false);
            await Task.WhenAny(CopyAsync(client, server), CopyAsync(server, client)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            client.Dispose();
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
            {
                await _gate.Task.ConfigureAwait(false);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
        }
    }
}
