using FeedFunctions.Events;

namespace FeedFunctions.Retention;

/// <summary>
/// Runs the rules for the id of each upload, after the push's response (events are handled by the queue trigger),
/// so a push costs no scan and waits for nothing. Idempotent: a redelivered event plans again from what is stored.
/// </summary>
public sealed class RetentionHandler(RetentionService retention) : IPackageEventHandler
{
    public string Name => "retention";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        if (packageEvent.Type != PackageEventType.Uploaded || !retention.Options.Enabled || retention.Options.IsExempt(packageEvent.PackageId))
        {
            return;
        }

        await retention.ApplyAsync(packageEvent.PackageId.ToLowerInvariant(), ageRuleOnly: false, cancellationToken).ConfigureAwait(false);
    }
}
