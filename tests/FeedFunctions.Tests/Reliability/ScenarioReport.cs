using System.Text;
using FeedFunctions.Events;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// The counters every reliability scenario reports (docs/reliability.md copies them from a real run), and the
/// list of broken promises it found: a scenario passes only when that list is empty and data lost is zero.
/// </summary>
public sealed class ScenarioReport(string scenario)
{
    private readonly List<string> _violations = [];
    private int _requests;
    private int _faults;
    private int _failures;

    public string Scenario { get; } = scenario;

    public int Requests => _requests;

    public int DataLost { get; set; }

    public IReadOnlyList<string> Violations => _violations;

    public List<string> Notes { get; } = [];

    public void Request(int count = 1) => Interlocked.Add(ref _requests, count);

    public void Faults(int count) => Interlocked.Add(ref _faults, count);

    /// <summary>A failure the client was told about honestly (a 4xx/5xx it can act on, a dropped connection).</summary>
    public void Failure(int count = 1) => Interlocked.Add(ref _failures, count);

    public void Violation(string text)
    {
        lock (_violations)
        {
            _violations.Add(text);
        }
    }

    public void Print(ITestOutputHelper output)
    {
        var text = new StringBuilder()
            .Append("RELIABILITY ").Append(Scenario).Append(": requests=").Append(_requests)
            .Append(" faults=").Append(_faults).Append(" failures=").Append(_failures)
            .Append(" violations=").Append(_violations.Count).Append(" dataLost=").Append(DataLost)
            .Append(Soak.Enabled ? " (soak)" : string.Empty);
        output.WriteLine(text.ToString());
        foreach (var note in Notes)
        {
            output.WriteLine("  " + note);
        }

        foreach (var violation in _violations.Take(50))
        {
            output.WriteLine("  VIOLATION " + violation);
        }
    }

    /// <summary>Prints, then fails with every violation in the message so one run shows them all.</summary>
    public void AssertClean(ITestOutputHelper output)
    {
        Print(output);
        Assert.True(_violations.Count == 0, $"{Scenario}: {_violations.Count} violation(s):\n" + string.Join("\n", _violations.Take(50)));
        Assert.Equal(0, DataLost);
    }

    /// <summary>Audit events of one package (written by the local queue listener), de-duplicated by event id.</summary>
    public static async Task<List<PackageEvent>> AuditAsync(FeedStorage storage, string packageId)
    {
        var audit = new AuditLogHandler(storage);
        var events = new List<PackageEvent>();
        await foreach (var e in audit.QueryAsync(packageId))
        {
            events.Add(e);
        }

        return events.DistinctBy(e => e.EventId).OrderBy(e => e.Timestamp).ToList();
    }
}
