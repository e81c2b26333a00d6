using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Auth;

/// <summary>A stored key: only the SHA-256 of the key is kept, never the key itself.</summary>
/// <param name="TrustedPublisher">For a key exchanged for an OIDC token: the policy and the run it was issued to.</param>
public sealed record ApiKeyRecord(
    string KeyId,
    string Name,
    string SecretHash,
    ApiKeyScopes Scopes,
    IReadOnlyList<string> PackageGlobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool Revoked,
    TrustedPublisher? TrustedPublisher = null);
