using FeedFunctions.Publishing;

namespace FeedFunctions.TrustedPublishing;

/// <summary>A token checked against the policies: the policy that accepts it and who the caller is, or the refusal.</summary>
public sealed record TrustedTokenResult(TrustPolicy? Policy, TrustedPublisher? Publisher, NuGetResult? Refusal)
{
    public static TrustedTokenResult Refused(NuGetResult refusal) => new(null, null, refusal);
}
