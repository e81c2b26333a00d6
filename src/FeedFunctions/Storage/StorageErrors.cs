using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Core;

namespace FeedFunctions.Storage;

/// <summary>
/// Turns a failed storage response into <see cref="RequestFailedException"/> carrying the HTTP status and the
/// storage error code (header, XML <c>Code</c>, or JSON <c>odata.error.code</c>), so callers can branch on them.
/// </summary>
public static class StorageErrors
{
    public const string BlobAlreadyExists = "BlobAlreadyExists";
    public const string BlobNotFound = "BlobNotFound";
    public const string ConditionNotMet = "ConditionNotMet";
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string EntityNotFound = "ResourceNotFound";
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";

    private const int MaxErrorBodyBytes = 64 * 1024;

    public static async ValueTask<RequestFailedException> CreateAsync(Response response, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var (bodyCode, message) = ParseBody(body);
        code ??= bodyCode;
        var text = $"Storage request failed: {response.Status} {response.ReasonPhrase}" +
                   (code is null ? string.Empty : $" ({code})") +
                   (string.IsNullOrWhiteSpace(message) ? string.Empty : $": {message.Trim()}");
        return new RequestFailedException(response.Status, text, code, null);
    }

    public static bool Is(this RequestFailedException exception, int status, string? errorCode = null) =>
        exception.Status == status && (errorCode is null || string.Equals(exception.ErrorCode, errorCode, StringComparison.Ordinal));

    private static async ValueTask<string> ReadBoundedAsync(Response response, CancellationToken cancellationToken)
    {
        if (response.ContentStream is not { } stream)
        {
            return string.Empty;
        }

        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static (string? Code, string? Message) ParseBody(string body)
    {
        var trimmed = body.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        try
        {
            if (trimmed.StartsWith('<'))
            {
                var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
                using var reader = XmlReader.Create(new StringReader(trimmed), settings);
                string? code = null, message = null;
                reader.Read();
                while (!reader.EOF)
                {
                    // ReadElementContentAsString already moves to the next node; calling Read() after it
                    // would skip a sibling that follows with no whitespace between, as Azure's compact
                    // <Error><Code>…</Code><Message>…</Message></Error> does.
                    if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Code")
                    {
                        code = reader.ReadElementContentAsString();
                    }
                    else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Message")
                    {
                        message = reader.ReadElementContentAsString();
                    }
                    else
                    {
                        reader.Read();
                    }
                }

                return (code, message?.Split('\n')[0]);
            }

            if (trimmed.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(trimmed);
                if (document.RootElement.TryGetProperty("odata.error", out var error))
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    var message = error.TryGetProperty("message", out var m)
                        ? (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString())
                        : null;
                    return (code, message?.Split('\n')[0]);
                }
            }
        }
        catch (Exception ex) when (ex is XmlException or JsonException)
        {
            // An unparsable error body still leaves the status code and the header code to branch on.
        }

        return (null, null);
    }
}
