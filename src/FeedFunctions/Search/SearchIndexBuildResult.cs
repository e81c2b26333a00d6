namespace FeedFunctions.Search;

/// <summary>How a build run ended: finished (the index is complete), or left to the run holding the lease.</summary>
public sealed record SearchIndexBuildResult(bool Completed, int IdsIndexed, string? HeldBy = null, DateTimeOffset? HeldUntil = null);
