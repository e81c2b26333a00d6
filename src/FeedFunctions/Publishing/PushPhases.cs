using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace FeedFunctions.Publishing;

/// <summary>
/// Elapsed time per push phase, for the Debug-level log line that bench/ uses to find where a push spends its
/// time (enable with Logging__LogLevel__FeedFunctions.Publishing.PushHandler=Debug). Costs two timestamps a phase.
/// </summary>
public sealed class PushPhases
{
    private readonly List<(string Name, double Milliseconds)> _phases = new(8);
    private readonly List<(string Name, long Ticks)> _parts = new(4);
    private long _last = Stopwatch.GetTimestamp();

    public void End(string name)
    {
        var now = Stopwatch.GetTimestamp();
        _phases.Add((name, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds));
        _last = now;
    }

    /// <summary>Adds the time since <paramref name="started"/> to a named part of a phase (e.g. reading vs hashing the body).</summary>
    public void Part(string name, long started)
    {
        var elapsed = Stopwatch.GetTimestamp() - started;
        var index = _parts.FindIndex(p => p.Name == name);
        if (index < 0)
        {
            _parts.Add((name, elapsed));
        }
        else
        {
            _parts[index] = (name, _parts[index].Ticks + elapsed);
        }
    }

    /// <summary><c>spool=12.3 validate=0.4 ... spool.read=3.1 ...</c> (milliseconds).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, milliseconds) in _phases)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(name).Append('=')
                .Append(milliseconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        foreach (var (name, ticks) in _parts)
        {
            text.Append(' ').Append(name).Append('=')
                .Append((ticks * 1000.0 / Stopwatch.Frequency).ToString("F1", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
