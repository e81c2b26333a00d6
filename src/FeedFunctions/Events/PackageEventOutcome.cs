namespace FeedFunctions.Events;

public sealed record PackageEventOutcome(bool Succeeded, IReadOnlyList<string> Logs);
