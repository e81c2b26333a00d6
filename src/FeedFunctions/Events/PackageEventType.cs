namespace FeedFunctions.Events;

/// <summary>Event type names as they appear in the JSON (<c>type</c>) and in webhook filters.</summary>
public static class PackageEventType
{
    public const string Uploaded = "package.uploaded";
    public const string Unlisted = "package.unlisted";
    public const string Relisted = "package.relisted";
    public const string Deleted = "package.deleted";
    public const string Deprecated = "package.deprecated";
    public const string Undeprecated = "package.undeprecated";
    public const string AdvisoryAdded = "advisory.added";
    public const string AdvisoryRemoved = "advisory.removed";

    public static readonly IReadOnlyList<string> All = [Uploaded, Unlisted, Relisted, Deleted, Deprecated, Undeprecated, AdvisoryAdded, AdvisoryRemoved];
}
