namespace FeedFunctions.Publishing;

/// <summary>An upload that cannot be accepted; carries the 4xx the client should see.</summary>
public sealed class UploadRejectedException(NuGetResult result) : Exception(result.Reason)
{
    public NuGetResult Result { get; } = result;
}
