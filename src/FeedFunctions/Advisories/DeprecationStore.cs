using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using FeedFunctions.Storage;
using NuGet.Versioning;

namespace FeedFunctions.Advisories;

/// <summary>
/// Sets or clears the deprecation of the versions a <see cref="VersionSelector"/> picks. Each version is one entity
/// group transaction in the package's partition: a merge of the row's <c>Deprecation</c> column, ETag-checked, with the
/// version's pending event (the outbox), so the change and its event commit together or not at all. Setting what is
/// already there changes nothing and emits no event.
/// </summary>
public sealed class DeprecationStore(FeedStorage storage, PackageStore packages, PackageEventOutbox outbox, TimeProvider time)
{
    /// <param name="deprecation">Null to undeprecate.</param>
    /// <returns>The matching versions (empty when the id has none that match) and how many this call changed.</returns>
    public async Task<DeprecationResult> SetAsync(
        string id, VersionSelector selector, PackageDeprecation? deprecation, string? keyName, CancellationToken cancellationToken)
    {
        var lowerId = id.ToLowerInvariant();
        var matching = (await packages.ListVersionsAsync(lowerId, cancellationToken).ConfigureAwait(false))
            .Where(r => NuGetVersion.TryParse(r.Version, out var v) && selector.Matches(v))
            .ToList();
        var changed = 0;
        foreach (var record in matching)
        {
            if (await SetOneAsync(record, deprecation, keyName, cancellationToken).ConfigureAwait(false))
            {
                changed++;
            }
        }

        return new DeprecationResult(matching.Select(r => r.Version).ToList(), changed);
    }

    private async Task<bool> SetOneAsync(PackageRecord? current, PackageDeprecation? deprecation, string? keyName, CancellationToken cancellationToken)
    {
        var json = deprecation?.ToJsonString();
        while (current is not null)
        {
            if (current.Deprecation == json)
            {
                return false;
            }

            var packageEvent = PackageEvent.Create(
                deprecation is null ? PackageEventType.Undeprecated : PackageEventType.Deprecated,
                current.Id, current.Version, current.Size, current.Sha512, keyName, time.GetUtcNow()) with
            {
                Details = deprecation is null ? null : Details(deprecation),
            };
            try
            {
                await storage.PackagesTable.SubmitTransactionAsync(
                    [
                        new(TableTransactionActionType.UpdateMerge, new TableEntity(current.LowerId, current.LowerVersion) { ["Deprecation"] = json ?? string.Empty }, current.ETag!.Value),
                        outbox.PendingRow(current.LowerId, packageEvent),
                    ],
                    cancellationToken).ConfigureAwait(false);
                await outbox.DispatchAsync(current.LowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 412 or 404)
            {
                if (await outbox.IsPendingAsync(current.LowerId, packageEvent, cancellationToken).ConfigureAwait(false))
                {
                    // Our own commit, whose response was lost: the resend met the ETag our change produced.
                    await outbox.DispatchAsync(current.LowerId, packageEvent, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                // Changed (re-pushed, unlisted) or deleted under us: decide again on the fresh row.
                current = await packages.FindAsync(current.LowerId, current.LowerVersion, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    private static Dictionary<string, string> Details(PackageDeprecation deprecation)
    {
        var details = new Dictionary<string, string> { ["reasons"] = string.Join(",", deprecation.Reasons) };
        if (deprecation.Message is { } message)
        {
            details["message"] = message;
        }

        if (deprecation.AlternateId is { } alternate)
        {
            details["alternatePackage"] = alternate;
            details["alternateRange"] = deprecation.AlternateRange ?? PackageDeprecation.AnyVersion;
        }

        return details;
    }
}
