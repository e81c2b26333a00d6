using System.Diagnostics;
using System.Net;
using FeedFunctions.Events;
using FeedFunctions.Telemetry;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FeedFunctions.Tests.Operations;

/// <summary>
/// The feed's spans and metrics in process, with OpenTelemetry's in-memory exporter: a push is one trace with its
/// storage calls as child spans, the handling of its event is linked to it, and the metrics count pushes, bytes,
/// refusals, delivery lag and poison events. Listeners are process-wide and tests run in parallel, so spans are
/// picked by this test's own trace id and metrics are asserted as lower bounds.
/// </summary>
public sealed class TelemetryTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static async Task<(FeedAppHost Feed, List<Activity> Spans, List<Metric> Metrics)> StartAsync(Action<IServiceCollection>? more = null)
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var feed = await FeedAppHost.StartAsync(services: services =>
        {
            services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddSource([.. TelemetryServiceCollectionExtensions.StorageSources, "Microsoft.AspNetCore"]).AddInMemoryExporter(spans))
                .WithMetrics(m => m.AddMeter(FeedTelemetry.Name).AddInMemoryExporter(metrics));
            more?.Invoke(services);
        });
        return (feed, spans, metrics);
    }

    private static Activity[] Snapshot(List<Activity> spans)
    {
        lock (spans)
        {
            return [.. spans];
        }
    }

    [Fact]
    public async Task A_push_is_one_trace_with_its_storage_calls_as_child_spans_and_its_event_handling_is_linked_to_it()
    {
        var (feed, spans, _) = await StartAsync();
        await using var owned = feed;
        var trace = ActivityTraceId.CreateRandom();
        using var request = FeedHttp.PushRequest(feed, TestPackage.Create("Contoso.Traced", "1.0.0").ToBytes());
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var push = await feed.Client.SendAsync(request);
        await Poll.UntilAsync(() => feed.Storage.EventsQueue.GetPropertiesAsync().ContinueWith(p => p.Result.Value.ApproximateMessagesCount), n => n > 0, what: "the event to be sent");
        await InProcessEvents.DrainAsync(feed);

        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        var pushSpan = Assert.Single(Snapshot(spans), s => s.OperationName == "feed.push" && s.TraceId == trace);
        Assert.Equal("created", pushSpan.GetTagItem("feed.push.outcome"));
        var storage = Snapshot(spans).Where(s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal) && s.ParentSpanId == pushSpan.SpanId).ToList();
        Assert.Contains(storage, s => s.Source.Name.StartsWith("Azure.Storage.Blobs", StringComparison.Ordinal));
        Assert.Contains(storage, s => s.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
        var handling = Assert.Single(Snapshot(spans), s => s.OperationName == "feed.event " + PackageEventType.Uploaded && s.Links.Any(l => l.Context.TraceId == trace));
        Assert.Equal(pushSpan.SpanId, handling.Links.Single().Context.SpanId);
        Assert.Equal(ActivityKind.Consumer, handling.Kind);
        var inTrace = Snapshot(spans).Count(s => s.TraceId == trace && s.Source.Name != "Microsoft.AspNetCore");
        var inHandling = Snapshot(spans).Count(s => s.TraceId == handling.TraceId);
        output.WriteLine($"spans per push: {inTrace} in the push's trace ({storage.Count} storage), {inHandling} in the event's handling");
    }

    [Fact]
    public async Task The_event_carries_the_pushs_traceparent_and_omits_it_when_there_is_none()
    {
        using var source = new ActivitySource("telemetry-test");
        using var listener = new ActivityListener { ShouldListenTo = s => s.Name == "telemetry-test", Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(listener);
        PackageEvent traced;
        string id;
        using (var activity = source.StartActivity("push"))
        {
            traced = PackageEvent.Create(PackageEventType.Uploaded, "Contoso.A", "1.0.0", 1, null, null, DateTimeOffset.UtcNow);
            id = activity!.Id!;
        }

        var untraced = PackageEvent.Create(PackageEventType.Uploaded, "Contoso.A", "1.0.0", 1, null, null, DateTimeOffset.UtcNow);

        Assert.Equal(id, PackageEventJson.Deserialize(PackageEventJson.Serialize(traced))!.TraceParent);
        Assert.DoesNotContain("traceparent", PackageEventJson.Serialize(untraced), StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Metrics_count_pushes_bytes_refusals_delivery_lag_and_poison_events()
    {
        var (feed, _, metrics) = await StartAsync(services => services.AddSingleton<IPackageEventHandler>(new FailingHandler()));
        await using var owned = feed;
        var package = TestPackage.Create("Contoso.Metered", "1.0.0").ToBytes();

        using var first = await FeedHttp.PushAsync(feed, package);
        using var duplicate = await FeedHttp.PushAsync(feed, package);
        var dispatcher = feed.Services.GetRequiredService<PackageEventDispatcher>();
        var old = PackageEvent.Create(PackageEventType.Uploaded, "Contoso.Metered", "1.0.0", 1, null, null, DateTimeOffset.UtcNow.AddMinutes(-3));
        var outcome = await dispatcher.DispatchAsync(PackageEventJson.Serialize(old), new PackageEventDelivery("m1", 5), CancellationToken.None);
        feed.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict, false), (first.StatusCode, duplicate.StatusCode, outcome.Succeeded));
        Assert.True(Sum(metrics, "feed.pushes", ("outcome", "created")) >= 1);
        Assert.True(Sum(metrics, "feed.push.bytes") >= package.Length);
        Assert.True(Sum(metrics, "feed.push.refusals", ("status", 409), ("reason", "duplicate")) >= 1);
        Assert.True(Sum(metrics, "feed.events.poison", ("type", PackageEventType.Uploaded)) >= 1);
        Assert.True(MaxLag(metrics) >= 170, "the delivery lag of an event made three minutes ago");
    }

    private static double Sum(List<Metric> metrics, string name, params (string Key, object Value)[] tags)
    {
        double total = 0;
        foreach (var metric in metrics.ToArray().Where(m => m.Name == name).TakeLast(1))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    pointTags[tag.Key] = tag.Value;
                }

                if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && Equals(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture))))
                {
                    total += point.GetSumLong();
                }
            }
        }

        return total;
    }

    private static double MaxLag(List<Metric> metrics)
    {
        double max = 0;
        foreach (var metric in metrics.ToArray().Where(m => m.Name == "feed.events.delivery_lag").TakeLast(1))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (point.TryGetHistogramMinMaxValues(out _, out var most))
                {
                    max = Math.Max(max, most);
                }
            }
        }

        return max;
    }

    private sealed class FailingHandler : IPackageEventHandler
    {
        public string Name => "failing";

        public Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("always fails");
    }
}
