using Azure.Core;

namespace FeedFunctions.Storage;

/// <summary>Retries what Azure.Core retries plus the storage error codes that mean "try again".</summary>
internal sealed class StorageResponseClassifier : ResponseClassifier
{
    public override bool IsRetriableResponse(HttpMessage message)
    {
        if (base.IsRetriableResponse(message))
        {
            return true;
        }

        return message.Response.Headers.TryGetValue("x-ms-error-code", out var code)
            && code is "InternalError" or "OperationTimedOut" or "ServerBusy";
    }
}
