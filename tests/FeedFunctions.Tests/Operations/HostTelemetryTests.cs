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

    [HostFact]
    public async Task The_worker_exports_the_push_trace_its_storage_spans_the_event_handling_and_metrics_over_otlp()
    {
        await using var receiver = OtlpReceiver.Start();
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        var trace = System.Diagnostics.ActivityTraceId.CreateRandom();
        using var request = FeedHttp.PushRequest(host, TestPackage.Create("Contoso.Otlp", "1.0.0").ToBytes());
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var push = await host.Client.SendAsync(request);
        await AuditedAsync(host, "Contoso.Otlp", 1);
        var traceBytes = Convert.FromHexString(trace.ToHexString());
        await Poll.UntilAsync(
            () => Task.FromResult(receiver.Received("/v1/traces", "feed.event package.uploaded") && receiver.Received("/v1/metrics", "feed.events.delivery_lag")),
            received => received,
            TimeSpan.FromSeconds(60),
            "the event's span and the metrics to be exported");

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        Assert.True(receiver.Received("/v1/traces", traceBytes), "spans in the trace the push request started (host -> worker)");
        Assert.True(receiver.Received("/v1/traces", "feed.push"));
        Assert.True(receiver.Received("/v1/traces", "Azure.Data.Tables"), "the table calls' spans");
        Assert.True(receiver.Received("/v1/traces", "Azure.Storage.Blobs"), "the blob calls' spans");
        Assert.True(receiver.Received("/v1/metrics", "feed.pushes"));
        Assert.True(receiver.Received("/v1/metrics", "feed.push.bytes"));
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
