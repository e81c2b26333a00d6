using System.Text.Json.Serialization;

namespace FeedFunctions.Events;

/// <summary>
/// Why the feed itself made a change, e.g. <c>{"kind":"retention","rule":"MaxPrereleaseVersionsPerId"}</c>. Changes
/// made by a request carry none (the key's name says who).
/// </summary>
public sealed record PackageEventReason(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("rule"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Rule = null)
{
    public const string RetentionKind = "retention";

    public static PackageEventReason Retention(string rule) => new(RetentionKind, rule);
}
