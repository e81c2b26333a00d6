namespace FeedFunctions.Auth;

/// <summary>A stored key: only the SHA-256 of the key is kept, never the key itself.</summary>
public sealed record ApiKeyRecord(
    string KeyId,
    string Name,
    string SecretHash,
    ApiKeyScopes Scopes,
    IReadOnlyList<string> PackageGlobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool Revoked);
