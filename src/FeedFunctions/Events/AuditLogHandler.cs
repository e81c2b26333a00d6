using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using FeedFunctions.Storage;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Events;

/// <summary>
/// Appends every event to the AuditLog table: partition = lowercase package id (so it is queryable by package),
/// row = timestamp ticks + event id, inserted create-only so a redelivered event is recorded once.
/// </summary>
public sealed class AuditLogHandler(FeedStorage storage) : IPackageEventHandler
{
    public string Name => "audit-log";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(
            packageEvent.PackageId.ToLowerInvariant(),
            $"{packageEvent.Timestamp.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}-{packageEvent.EventId}")
        {
            ["EventId"] = packageEvent.EventId,
            ["Type"] = packageEvent.Type,
            ["PackageId"] = packageEvent.PackageId,
            ["Version"] = packageEvent.Version,
            ["Timestamp_"] = packageEvent.Timestamp,
        };
        if (packageEvent.Size is { } size)
        {
            entity["Size"] = size;
        }

        if (packageEvent.Sha512 is { } sha)
        {
            entity["Sha512"] = sha;
        }

        if (packageEvent.KeyName is { } key)
        {
            entity["KeyName"] = key;
        }

        if (packageEvent.TrustedPublisher is { } trusted)
        {
            // The policy on its own for filtering; the whole record (issuer, subject, run claims) as JSON.
            entity["TrustPolicy"] = trusted.Policy;
            entity["TrustedPublisher"] = System.Text.Json.JsonSerializer.Serialize(trusted);
        }

        if (packageEvent.Details is { Count: > 0 } details)
        {
            entity["Details"] = System.Text.Json.JsonSerializer.Serialize(details);
        }

        if (packageEvent.Reason is { } reason)
        {
            // Who removed a version when no key did (retention), and by which rule.
            entity["Reason"] = System.Text.Json.JsonSerializer.Serialize(reason);
        }

        try
        {
            await storage.AuditTable.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            // Already recorded by an earlier delivery of the same event.
        }
    }

    /// <summary>The audit trail of one package, oldest first.</summary>
    public async IAsyncEnumerable<PackageEvent> QueryAsync(string packageId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in storage.AuditTable.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {packageId.ToLowerInvariant()}"), cancellationToken: cancellationToken)
                           .ConfigureAwait(false))
        {
            yield return new PackageEvent(
                row.GetString("EventId") ?? string.Empty,
                row.GetString("Type") ?? string.Empty,
                row.GetString("PackageId") ?? string.Empty,
                row.GetString("Version") ?? string.Empty,
                row.GetInt64("Size"),
                row.GetString("Sha512"),
                row.GetString("KeyName"),
                row.GetDateTimeOffset("Timestamp_") ?? DateTimeOffset.MinValue,
                TrustedPublisherJson.Deserialize(row.GetString("TrustedPublisher")),
                Details: row.GetString("Details") is { } details ? System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(details) : null,
                Reason: row.GetString("Reason") is { } reason ? System.Text.Json.JsonSerializer.Deserialize<PackageEventReason>(reason) : null);
        }
    }
}
