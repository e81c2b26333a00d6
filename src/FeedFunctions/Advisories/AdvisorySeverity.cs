namespace FeedFunctions.Advisories;

/// <summary>NuGet's advisory severities: 0 low, 1 moderate, 2 high, 3 critical (NU1901..NU1904 at restore).</summary>
public static class AdvisorySeverity
{
    public const int Low = 0;
    public const int Moderate = 1;
    public const int High = 2;
    public const int Critical = 3;

    public static readonly IReadOnlyList<string> Names = ["low", "moderate", "high", "critical"];

    /// <summary>A name (low, moderate/medium, high, critical) or a number 0-3.</summary>
    public static int? Parse(string? text)
    {
        var value = text?.Trim().ToLowerInvariant();
        return value switch
        {
            "low" or "0" => Low,
            "moderate" or "medium" or "1" => Moderate,
            "high" or "2" => High,
            "critical" or "3" => Critical,
            _ => null,
        };
    }

    public static string Name(int severity) => severity is >= Low and <= Critical ? Names[severity] : severity.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
