using System.Text.Json;

namespace FeedFunctions.TrustedPublishing;

public static class TrustedPublisherJson
{
    /// <summary>Null for no value or one that does not read back (an old or hand-edited row).</summary>
    public static TrustedPublisher? Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrustedPublisher>(json) is { Policy.Length: > 0, Issuer.Length: > 0 } publisher ? publisher : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
