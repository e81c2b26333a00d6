using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>
/// Signs Table requests with the Table flavour of SharedKey: no canonicalized x-ms headers, the date line
/// always filled, and only <c>comp</c> from the query string in the resource.
/// </summary>
public sealed class TableSharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("r");
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.TryGetValue("Content-MD5", out var md5);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        var stringToSign = BuildStringToSign(request.Method.Method, request.Uri.ToUri(), md5, contentType, date, credential.AccountName);
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.ComputeSignature(stringToSign)}");
    }

    public static string BuildStringToSign(
        string method, Uri uri, string? contentMd5, string? contentType, string date, string accountName)
    {
        var resource = "/" + accountName + (uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath);
        var comp = StorageSharedKeyPolicy.ParseQuery(uri.Query)
            .Where(p => string.Equals(p.Name, "comp", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Value)
            .FirstOrDefault();
        if (comp is not null)
        {
            resource += "?comp=" + comp;
        }

        return $"{method.ToUpperInvariant()}\n{contentMd5}\n{contentType}\n{date}\n{resource}";
    }
}
