using System.Diagnostics;

namespace FeedBench;

/// <summary>
/// Azurite stalls every request for seconds at a time (its periodic queue/extent clean-up runs about once a minute
/// and holds its event loop). A sample taken across such a window measures Azurite, not the feed or the floor, and
/// would land on one side of a ratio only. This probe makes a tiny storage request every 50 ms; a probe slower than
/// <see cref="StallThreshold"/> marks a stall window, and a measurement overlapping one is discarded and taken again.
/// </summary>
internal sealed class StallMonitor : IAsyncDisposable
{
    /// <summary>Azurite answers a row read in ~1-10 ms here; a stall holds requests for seconds.</summary>
    public static readonly TimeSpan StallThreshold = TimeSpan.FromMilliseconds(400);

    private readonly RawStorage _raw;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(long Start, long End)> _stalls = [];
    private readonly Task _loop;
    private long _inFlightSince;

    public StallMonitor(RawStorage raw)
    {
        _raw = raw;
        _loop = Task.Run(ProbeAsync);
    }

    /// <summary>Stall windows seen so far.</summary>
    public int Count
    {
        get
        {
            lock (_stalls)
            {
                return _stalls.Count;
            }
        }
    }

    /// <summary>Whether a stall touched [<paramref name="start"/>, now], Stopwatch timestamps.</summary>
    public bool StalledSince(long start)
    {
        var now = Stopwatch.GetTimestamp();

        // A probe still waiting past the threshold is a stall in progress.
        var inFlight = Volatile.Read(ref _inFlightSince);
        if (inFlight != 0 && Stopwatch.GetElapsedTime(inFlight) > StallThreshold)
        {
            return true;
        }

        lock (_stalls)
        {
            return _stalls.Any(s => s.End >= start && s.Start <= now);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ProbeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            Volatile.Write(ref _inFlightSince, started);
            try
            {
                await _raw.Table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("stall-probe", "none", cancellationToken: _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Azure.RequestFailedException)
            {
                // A failed probe still took its time; that is what is measured.
            }

            Volatile.Write(ref _inFlightSince, 0);
            if (Stopwatch.GetElapsedTime(started) > StallThreshold)
            {
                lock (_stalls)
                {
                    _stalls.Add((started, Stopwatch.GetTimestamp()));
                }
            }

            await Task.Delay(50, _stop.Token).ConfigureAwait(false);
        }
    }
}
