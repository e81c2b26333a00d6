using System.Text.Json;

namespace FeedFunctions.Storage;

/// <summary>One inner HTTP response of a <c>$batch</c> answer.</summary>
internal sealed record TableBatchSubResponse(int Status, string ReasonPhrase, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public bool IsError => Status >= 400;

    public string? ETag => Headers.GetValueOrDefault("ETag");

    /// <summary>
    /// The OData error code and first message line. The service prefixes the message with the zero-based index of
    /// the failed action (<c>"0:The specified entity already exists."</c>); that prefix is returned separately.
    /// </summary>
    public (string? Code, string? Message, int? FailedIndex) ReadError()
    {
        string? code = Headers.GetValueOrDefault("x-ms-error-code"), message = null;
        try
        {
            using var document = JsonDocument.Parse(Body);
            if (document.RootElement.TryGetProperty("odata.error", out var error))
            {
                code ??= error.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = error.TryGetProperty("message", out var m)
                    ? (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString())
                    : null;
            }
        }
        catch (JsonException)
        {
            // A body we cannot read still leaves the status to report.
        }

        message = message?.Split('\n')[0].Trim();
        var colon = message?.IndexOf(':') ?? -1;
        if (colon > 0 && int.TryParse(message.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return (code, message![(colon + 1)..], index);
        }

        return (code, message, null);
    }
}
