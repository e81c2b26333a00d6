using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>
/// Signs Blob and Queue requests with the full SharedKey scheme. Runs per retry so every attempt carries
/// a fresh x-ms-date and signs exactly the headers that go on the wire.
/// </summary>
public sealed class StorageSharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", DateTimeOffset.UtcNow.ToString("r"));
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            headers.Add(new(header.Name, header.Value));
        }

        var stringToSign = BuildStringToSign(request.Method.Method, request.Uri.ToUri(), headers, credential.AccountName);
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.ComputeSignature(stringToSign)}");
    }

    public static string BuildStringToSign(
        string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, string accountName)
    {
        var all = headers.ToList();
        string Header(string name) =>
            all.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? string.Empty;

        var contentLength = Header("Content-Length");
        if (contentLength == "0")
        {
            contentLength = string.Empty;
        }

        var builder = new StringBuilder()
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header("Content-Type")).Append('\n')
            .Append(Header("Date")).Append('\n')
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');

        foreach (var header in all
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: FoldWhitespace(h.Value)))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
        foreach (var parameter in ParseQuery(uri.Query)
                     .GroupBy(p => p.Name.ToLowerInvariant())
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = parameter.Select(p => p.Value).Order(StringComparer.Ordinal);
            builder.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', values));
        }

        return builder.ToString();
    }

    internal static IEnumerable<(string Name, string Value)> ParseQuery(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            yield return (Uri.UnescapeDataString(name), Uri.UnescapeDataString(value));
        }
    }

    private static string FoldWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        var inSpace = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!inSpace)
                {
                    builder.Append(' ');
                }

                inSpace = true;
            }
            else
            {
                builder.Append(c);
                inSpace = false;
            }
        }

        return builder.ToString();
    }
}
