using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Auth;

/// <summary>Who is calling, once a key or a trusted token checked out. <see cref="Name"/> is safe to log and to put in events.</summary>
/// <param name="TrustedPublisher">Set when the caller proved an OIDC identity (directly or through an exchanged key).</param>
public sealed record ApiKeyIdentity(string Name, ApiKeyScopes Scopes, IReadOnlyList<string> PackageGlobs, TrustedPublisher? TrustedPublisher = null)
{
    /// <summary>How refusals name the caller's grant: the key, or the trust policy.</summary>
    public string GrantDescription => TrustedPublisher is { } trusted ? $"Trust policy '{trusted.Policy}'" : "The specified API key";

    public bool Allows(ApiKeyScopes scope, string packageId) =>
        (Scopes & scope) != 0 && PackageIdGlob.MatchesAny(PackageGlobs, packageId);
}
