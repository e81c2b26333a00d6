using System.Text.Json.Nodes;
using FeedFunctions.Packages;
using NuGet.Versioning;

namespace FeedFunctions.Advisories;

/// <summary>
/// A version's deprecation (nuget.org's model): one or more reasons, an optional message and an optional alternate
/// package. Stored on the version's row as the very JSON the registration resource serves in
/// <c>catalogEntry.deprecation</c>, so registration reads cost nothing extra.
/// </summary>
public sealed record PackageDeprecation(IReadOnlyList<string> Reasons, string? Message, string? AlternateId, string? AlternateRange)
{
    /// <summary>Bounded so a row (64 KiB per string property) and the registration documents stay small.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>nuget.org serves <c>*</c> for an alternate package without a version range.</summary>
    public const string AnyVersion = "*";

    /// <summary>Validates user input. The alternate id need not be on this feed (it may be on nuget.org).</summary>
    public static PackageDeprecation? TryCreate(
        IEnumerable<string> reasons, string? message, string? alternateId, string? alternateRange, out string? error)
    {
        var parsed = new List<string>();
        foreach (var text in reasons)
        {
            if (DeprecationReason.Parse(text) is not { } reason)
            {
                error = $"Unknown deprecation reason '{text}': use legacy, critical-bugs or other.";
                return null;
            }

            if (!parsed.Contains(reason))
            {
                parsed.Add(reason);
            }
        }

        if (parsed.Count == 0)
        {
            error = "At least one deprecation reason is required (legacy, critical-bugs or other).";
            return null;
        }

        message = string.IsNullOrWhiteSpace(message) ? null : message.Trim();
        if (message is { Length: > MaxMessageLength })
        {
            error = $"The deprecation message has {message.Length} characters; at most {MaxMessageLength} are allowed.";
            return null;
        }

        alternateId = string.IsNullOrWhiteSpace(alternateId) ? null : alternateId.Trim();
        alternateRange = string.IsNullOrWhiteSpace(alternateRange) ? null : alternateRange.Trim();
        if (alternateId is null && alternateRange is not null)
        {
            error = "An alternate version range needs an alternate package id.";
            return null;
        }

        if (alternateId is not null && !PackageIdentity.TryValidateId(alternateId, out var idError))
        {
            error = $"Alternate package: {idError}";
            return null;
        }

        if (alternateRange is not null && alternateRange != AnyVersion)
        {
            if (!VersionRange.TryParse(alternateRange, out var range))
            {
                error = $"'{alternateRange}' is not a valid version range for the alternate package.";
                return null;
            }

            alternateRange = range.ToNormalizedString();
        }

        error = null;
        return new PackageDeprecation(
            DeprecationReason.All.Where(parsed.Contains).ToList(), message, alternateId, alternateId is null ? null : alternateRange ?? AnyVersion);
    }

    /// <summary><c>catalogEntry.deprecation</c> as NuGet's registration resource documents it.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["reasons"] = new JsonArray(Reasons.Select(r => (JsonNode?)r).ToArray()) };
        if (Message is not null)
        {
            json["message"] = Message;
        }

        if (AlternateId is not null)
        {
            json["alternatePackage"] = new JsonObject { ["id"] = AlternateId, ["range"] = AlternateRange ?? AnyVersion };
        }

        return json;
    }

    public string ToJsonString() => ToJson().ToJsonString();

    /// <summary>Reads the stored JSON back; null when absent or unreadable (a bad row must not break registration).</summary>
    public static PackageDeprecation? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(json) is not JsonObject root || root["reasons"] is not JsonArray reasons)
            {
                return null;
            }

            var alternate = root["alternatePackage"] as JsonObject;
            return new PackageDeprecation(
                reasons.Select(r => r?.GetValue<string>()).OfType<string>().ToList(),
                root["message"]?.GetValue<string>(),
                alternate?["id"]?.GetValue<string>(),
                alternate?["range"]?.GetValue<string>());
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A short human description for events, the CLI and the package page.</summary>
    public string Describe() =>
        string.Join(", ", Reasons) + (AlternateId is null ? string.Empty : $"; use {AlternateId}{(AlternateRange is null or AnyVersion ? string.Empty : " " + AlternateRange)} instead");
}
