using System.Text.Json.Serialization;

namespace FeedFunctions.Events;

/// <summary>
/// One change to the feed. Delivered at least once: handlers de-duplicate on <see cref="EventId"/>.
/// Carries the key's name, never the key.
/// </summary>
public sealed record PackageEvent(
    [property: JsonPropertyName("eventId")] string EventId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("packageId")] string PackageId,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("sha512")] string? Sha512,
    [property: JsonPropertyName("keyName")] string? KeyName,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp)
{
    public static PackageEvent Create(string type, string packageId, string version, long? size, string? sha512, string? keyName, DateTimeOffset now) =>
        new(Guid.NewGuid().ToString("N"), type, packageId, version, size, sha512, keyName, now);
}
