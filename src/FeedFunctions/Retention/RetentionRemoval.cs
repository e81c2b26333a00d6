namespace FeedFunctions.Retention;

/// <summary>One version the rules would remove, and the rule that removes it.</summary>
public sealed record RetentionRemoval(RetentionVersion Version, string Rule);
