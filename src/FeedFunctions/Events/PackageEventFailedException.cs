namespace FeedFunctions.Events;

/// <summary>One or more handlers failed for an event; the queue trigger retries it.</summary>
public sealed class PackageEventFailedException(string message) : Exception(message);
