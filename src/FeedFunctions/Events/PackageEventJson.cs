using System.Text.Json;

namespace FeedFunctions.Events;

public static class PackageEventJson
{
    /// <summary>Queue messages hold at most 64 KiB of base64, so the JSON must stay within 48 KiB.</summary>
    public const int MaxBytes = 48 * 1024;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(PackageEvent packageEvent) => JsonSerializer.Serialize(packageEvent, Options);

    public static PackageEvent? Deserialize(string json)
    {
        try
        {
            var value = JsonSerializer.Deserialize<PackageEvent>(json, Options);
            return value is { EventId.Length: > 0, Type.Length: > 0, PackageId.Length: > 0 } ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
