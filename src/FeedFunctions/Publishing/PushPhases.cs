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
    private long _last = Stopwatch.GetTimestamp();

    public void End(string name)
    {
        var now = Stopwatch.GetTimestamp();
        _phases.Add((name, Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds));
        _last = now;
    }

    /// <summary><c>spool=12.3 validate=0.4 ...</c> (milliseconds).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (name, milliseconds) in _phases)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(name).Append('=')
                .Append(milliseconds.ToString("F1", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
