using System.Diagnostics;
using System.Text.Json.Serialization;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Events;

/// <summary>
/// One change to the feed. Delivered at least once: handlers de-duplicate on <see cref="EventId"/>.
/// Carries the key's name, never the key; for a trusted publishing push also the policy and the run's identifying
/// claims (<see cref="TrustedPublisher"/>, left out of the JSON otherwise, so consumers of older events see no change).
/// Deprecation and advisory events carry what changed in <see cref="Details"/> (an advisory's <see cref="Version"/> is
/// its version range).
/// A change the feed made on its own (retention) says why in <see cref="Reason"/>; a deleted version names the blobs it
/// owned in <see cref="Blobs"/>, so the handler that removes them can finish a delete whose process died after the
/// row went. Both are left out of the JSON when null.
/// </summary>
public sealed record PackageEvent(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("packageId")] string PackageId,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("sha512")] string? Sha512,
    [property: JsonPropertyName("keyName")] string? KeyName,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("trustedPublisher"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TrustedPublisher? TrustedPublisher = null,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Details = null,
    [property: JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PackageEventReason? Reason = null,
    [property: JsonPropertyName("blobs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Blobs = null)
{
    /// <summary>
    /// The W3C <c>traceparent</c> of the request that made the change (when it was traced), so that the handling of the
    /// event is linked to it (ProcessPackageEvent). Left out of the JSON when null.
    /// </summary>
    [JsonPropertyName("traceparent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceParent { get; init; }

    public static PackageEvent Create(
        string type, string packageId, string version, long? size, string? sha512, string? keyName, DateTimeOffset now, TrustedPublisher? trustedPublisher = null) =>
        new(Guid.NewGuid().ToString("N"), type, packageId, version, size, sha512, keyName, now, trustedPublisher)
        {
            TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null,
        };
}
