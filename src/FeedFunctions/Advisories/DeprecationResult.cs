namespace FeedFunctions.Advisories;

/// <summary>The versions a deprecate or undeprecate matched (normalized), and how many of them it changed.</summary>
public sealed record DeprecationResult(IReadOnlyList<string> Versions, int Changed);
