using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FeedFunctions.Telemetry;

/// <summary>
/// The feed's own spans and metrics (exported by OpenTelemetry when an exporter is configured, see
/// <see cref="TelemetryServiceCollectionExtensions"/>; with no listener, starting a span or recording a value costs a
/// check). Tags are low-cardinality on purpose: outcome, status, reason category, event type; never ids.
/// </summary>
public static class FeedTelemetry
{
    public const string Name = "FeedFunctions";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Pushes answered, by <c>outcome</c> (created, refused, failed).</summary>
    public static readonly Counter<long> Pushes = Meter.CreateCounter<long>("feed.pushes", "{push}", "Pushes answered, by outcome");

    /// <summary>Bytes of packages stored by pushes answered 201.</summary>
    public static readonly Counter<long> PushedBytes = Meter.CreateCounter<long>("feed.push.bytes", "By", "Bytes of the packages stored by successful pushes");

    /// <summary>Pushes refused, by HTTP <c>status</c> and <c>reason</c> (a category, see <see cref="RefusalReason"/>).</summary>
    public static readonly Counter<long> Refusals = Meter.CreateCounter<long>("feed.push.refusals", "{push}", "Pushes refused, by status and reason");

    /// <summary>Seconds from an event's timestamp (its change) to its handling, by event <c>type</c>.</summary>
    public static readonly Histogram<double> EventDeliveryLag = Meter.CreateHistogram<double>("feed.events.delivery_lag", "s", "From a change to the handling of its event");

    /// <summary>Events whose last delivery attempt failed: the host moves them to the poison queue.</summary>
    public static readonly Counter<long> PoisonEvents = Meter.CreateCounter<long>("feed.events.poison", "{event}", "Events moved to the poison queue after their last attempt failed");

    /// <summary>
    /// Starts a request's span in the caller's trace. The worker's invocation span belongs to a trace the host starts
    /// for the invocation, which does not continue the client's <c>traceparent</c>; the host does pass that header on
    /// to the worker with the proxied request. So the span's parent is the request's <c>traceparent</c> (one trace from
    /// the client through the push and its storage calls), linked to the invocation span; without the header, the
    /// invocation span is the parent as usual.
    /// </summary>
    public static Activity? StartRequestActivity(string name, HttpRequest request)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var invocation = Activity.Current;
        if (!ActivityContext.TryParse(request.Headers.TraceParent.ToString(), request.Headers.TraceState.ToString(), isRemote: true, out var caller)
            || caller.TraceId == invocation?.TraceId)
        {
            return Source.StartActivity(name, ActivityKind.Server);
        }

        ActivityLink[] links = invocation is null ? [] : [new ActivityLink(invocation.Context)];
        return Source.StartActivity(name, ActivityKind.Server, caller, links: links);
    }

    public static int StatusOf(IResult result) => result switch
    {
        Publishing.NuGetResult nuget => nuget.StatusCode,
        IStatusCodeHttpResult { StatusCode: { } status } => status,
        _ => StatusCodes.Status200OK,
    };

    /// <summary>A refusal's reason as a category (reason phrases name packages: too many values for a metric).</summary>
    public static string RefusalReason(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid_package",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status409Conflict => "duplicate",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => "other",
    };

    /// <summary>Counts a push answered with <paramref name="status"/> and tags its span.</summary>
    public static void RecordPush(int status, Activity? activity)
    {
        var outcome = status is >= 200 and < 300 ? "created" : status is >= 500 ? "failed" : "refused";
        Pushes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome != "created")
        {
            Refusals.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("reason", RefusalReason(status)));
        }

        activity?.SetTag("http.response.status_code", status);
        activity?.SetTag("feed.push.outcome", outcome);
        if (status >= 500)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
    }
}
