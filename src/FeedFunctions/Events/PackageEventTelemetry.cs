using System.Diagnostics;
using FeedFunctions.Telemetry;

namespace FeedFunctions.Events;

/// <summary>The span and metrics of handling one event (<see cref="FeedTelemetry"/>).</summary>
public static class PackageEventTelemetry
{
    /// <summary>
    /// A consumer span for the event, a child of the current one (the function invocation) and linked to the request
    /// that made the change, whose trace context the event carries (<see cref="PackageEvent.TraceParent"/>): a link,
    /// not a parent, because an event may be handled long after that trace ended, and more than once.
    /// </summary>
    public static Activity? StartHandling(PackageEvent packageEvent, PackageEventDelivery delivery)
    {
        if (!FeedTelemetry.Source.HasListeners())
        {
            return null;
        }

        ActivityLink[] links = ActivityContext.TryParse(packageEvent.TraceParent, null, isRemote: true, out var cause) ? [new ActivityLink(cause)] : [];
        var activity = FeedTelemetry.Source.StartActivity("feed.event " + packageEvent.Type, ActivityKind.Consumer, default(ActivityContext), links: links);
        activity?.SetTag("feed.event.type", packageEvent.Type);
        activity?.SetTag("feed.event.id", packageEvent.EventId);
        activity?.SetTag("messaging.message.delivery_count", delivery.DequeueCount);
        return activity;
    }

    /// <summary>Delivery lag (now - the event's timestamp), and a poison count when the last attempt failed.</summary>
    public static void RecordHandled(PackageEvent packageEvent, PackageEventDelivery delivery, bool succeeded, Activity? activity, DateTimeOffset now, long maxDequeueCount)
    {
        var type = new KeyValuePair<string, object?>("type", packageEvent.Type);
        FeedTelemetry.EventDeliveryLag.Record(Math.Max(0, (now - packageEvent.Timestamp).TotalSeconds), type);
        if (!succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            if (delivery.DequeueCount >= maxDequeueCount)
            {
                FeedTelemetry.PoisonEvents.Add(1, type);
            }
        }
    }
}
