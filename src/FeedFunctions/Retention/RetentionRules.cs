namespace FeedFunctions.Retention;

/// <summary>The rule names events, logs and the preview give for a removal (the names of the settings).</summary>
public static class RetentionRules
{
    public const string MaxPrereleaseVersionsPerId = nameof(RetentionOptions.MaxPrereleaseVersionsPerId);
    public const string MaxStableVersionsPerMajor = nameof(RetentionOptions.MaxStableVersionsPerMajor);
    public const string PrereleaseMaxAge = nameof(RetentionOptions.PrereleaseMaxAge);
}
