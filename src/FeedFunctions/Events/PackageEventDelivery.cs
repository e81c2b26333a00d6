namespace FeedFunctions.Events;

/// <summary>How this delivery attempt arrived: the queue message id and how many times it has been dequeued.</summary>
public sealed record PackageEventDelivery(string? MessageId, long DequeueCount);
