namespace FeedFunctions.Retention;

/// <summary>A version retention never removes (<c>FeedAdmin retention pin</c>).</summary>
public sealed record RetentionPin(string Id, string Version, DateTimeOffset PinnedAt);
