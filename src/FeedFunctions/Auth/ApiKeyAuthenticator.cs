using FeedFunctions.Feed;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Auth;

/// <summary>
/// Checks the key a request presents: the configured full-access key (<c>Feed:ApiKey</c>) or a stored scoped key.
/// Both are compared as SHA-256 hashes in constant time.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore store, IOptions<FeedOptions> options, TimeProvider time)
{
    public const string HeaderName = "X-NuGet-ApiKey";

    private static readonly ApiKeyIdentity ConfiguredKeyIdentity = new("configured-key", ApiKeyScopes.All | ApiKeyScopes.Manage, []);

    private readonly byte[]? _configuredKeyHash = string.IsNullOrEmpty(options.Value.ApiKey) ? null : ApiKeyHasher.Hash(options.Value.ApiKey);

    public async Task<(ApiKeyCheckResult Result, ApiKeyIdentity? Identity)> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return (ApiKeyCheckResult.Missing, null);
        }

        if (presentedKey.Length > ApiKeyHasher.MaxKeyLength)
        {
            return (ApiKeyCheckResult.Invalid, null);
        }

        var presentedHash = ApiKeyHasher.Hash(presentedKey);
        if (_configuredKeyHash is not null && ApiKeyHasher.HashEquals(presentedHash, _configuredKeyHash))
        {
            return (ApiKeyCheckResult.Valid, ConfiguredKeyIdentity);
        }

        if (ApiKeyHasher.TryGetKeyId(presentedKey) is not { } keyId
            || await store.FindAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } record
            || !ApiKeyHasher.HashEquals(presentedHash, Convert.FromHexString(record.SecretHash)))
        {
            return (ApiKeyCheckResult.Invalid, null);
        }

        if (record.Revoked || (record.ExpiresAt is { } expires && expires <= time.GetUtcNow()))
        {
            return (ApiKeyCheckResult.Invalid, null);
        }

        return (ApiKeyCheckResult.Valid, new ApiKeyIdentity(record.Name, record.Scopes, record.PackageGlobs, record.TrustedPublisher));
    }
}
