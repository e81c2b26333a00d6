using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Retention;

/// <summary>The daily run of the age rule (<see cref="RetentionOptions.PrereleaseMaxAge"/>) over every id.</summary>
public sealed class RetentionFunctions(RetentionService retention, ILogger<RetentionFunctions> logger)
{
    /// <summary>
    /// Fixed (03:30 UTC daily), not a setting: a timer whose schedule names an unset setting is disabled by the host,
    /// and retention is off until a rule is set anyway (then the run returns at once without reading anything).
    /// </summary>
    public const string Schedule = "0 30 3 * * *";

    [Function(nameof(ApplyRetention))]
    public async Task ApplyRetention([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        var removed = await retention.ApplyAgeRuleAsync(cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("Retention's daily run removed {Count} version(s) by {Rule}", removed, RetentionRules.PrereleaseMaxAge);
        }
    }
}
