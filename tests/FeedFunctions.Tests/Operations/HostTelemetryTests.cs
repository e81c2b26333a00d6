using System.Net;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Operations;

/// <summary>
/// What a push costs in logs on the real host at default settings (host.json and the worker's filters): the host's
/// console entries, from the request to its event handled, per push. In Azure the same entries go to Application
/// Insights, billed per GB.
/// </summary>
public sealed class HostTelemetryTests(ITestOutputHelper output)
{
    private const int Pushes = 20;

    [HostFact]
    public async Task A_push_and_its_event_cost_at_most_three_log_entries_at_default_settings()
    {
        await using var host = await FunctionsHost.StartAsync();

        // Warm up (first requests log start-up entries), then count from a quiet point.
        using (var warm = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logs.Warm", "1.0.0").ToBytes()))
        {
            Assert.Equal(HttpStatusCode.Created, warm.StatusCode);
        }

        await AuditedAsync(host, "Contoso.Logs.Warm", 1);
        var before = host.LogEntryCount;
        for (var i = 0; i < Pushes; i++)
        {
            using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Logs", $"1.0.{i}").ToBytes());
            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        }

        await AuditedAsync(host, "Contoso.Logs", Pushes);
        var perPush = (double)(host.LogEntryCount - before) / Pushes;
        output.WriteLine($"log entries per push (request + event): {perPush:F2}");

        var categories = Categories(host.Output);
        output.WriteLine(categories);
        Assert.True(perPush <= 3, $"{perPush:F2} log entries per push; the host's recent entries by category:\n{categories}");
    }

    private static async Task AuditedAsync(FunctionsHost host, string id, int count) =>
        await Poll.UntilAsync(
            async () =>
            {
                var n = 0;
                await foreach (var _ in new AuditLogHandler(host.Storage).QueryAsync(id))
                {
                    n++;
                }

                return n;
            },
            n => n >= count,
            TimeSpan.FromSeconds(60),
            $"{count} audit rows for {id}");

    /// <summary>The kept output's entries by level and category, most frequent first.</summary>
    private static string Categories(string text) => string.Join('\n', text.Split('\n')
        .Where(line => line.Length > 6 && line[4] == ':' && line[..4] is "info" or "warn" or "fail" or "crit" or "dbug" or "trce")
        .Select(line => line.Split('[')[0])
        .GroupBy(category => category)
        .OrderByDescending(group => group.Count())
        .Select(group => $"{group.Count(),6} {group.Key}"));
}
