namespace FeedFunctions.Advisories;

/// <summary>nuget.org's deprecation reasons, spelled as the registration resource serves them.</summary>
public static class DeprecationReason
{
    public const string Legacy = "Legacy";
    public const string CriticalBugs = "CriticalBugs";
    public const string Other = "Other";

    public static readonly IReadOnlyList<string> All = [Legacy, CriticalBugs, Other];

    /// <summary>Accepts the CLI's spelling (legacy, critical-bugs, other) and the served one (Legacy, CriticalBugs, Other).</summary>
    public static string? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "legacy" => Legacy,
        "critical-bugs" or "criticalbugs" => CriticalBugs,
        "other" => Other,
        _ => null,
    };
}
