using System.Text.Json;
using System.Text.Json.Nodes;
using FeedFunctions.Packages;

namespace FeedFunctions.Advisories;

/// <summary>The small JSON bodies of the management routes, read with a bound before they are parsed.</summary>
internal static class ManagementRequestBody
{
    public const int MaxBytes = 16 * 1024;

    /// <summary>The body's root object, or an error to answer with 400 (or 413).</summary>
    public static async Task<(JsonObject? Body, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await BoundedReader.ReadAsync(request.Body, MaxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return (null, $"The request body exceeds {MaxBytes} bytes.");
        }

        try
        {
            return JsonNode.Parse(bytes) is JsonObject body ? (body, null) : (null, "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            return (null, "The request body is not valid JSON: " + ex.Message);
        }
    }

    /// <summary>A string property, or a number written as text (severity may be 2 or "high"); null when absent.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => null,
    };

    public static IReadOnlyList<string> Texts(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Text).OfType<string>().ToList(),
        JsonValue => Text(node) is { } single ? [single] : [],
        _ => [],
    };
}
