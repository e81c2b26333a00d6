using FeedFunctions.Auth;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Which OIDC identities may publish, and what they may do: tokens from <see cref="Issuer"/> for <see cref="Audience"/>
/// whose claims match every <see cref="RequiredClaims"/> pattern get <see cref="Scopes"/> on <see cref="PackageGlobs"/>,
/// as a scoped API key would.
/// </summary>
/// <param name="RequiredClaims">Claim name to pattern: an exact value, or <c>*</c> for any run of characters (ordinal).</param>
/// <param name="OneTimeUse">Each token (by its <c>jti</c>) is accepted once.</param>
/// <param name="User">
/// When set, a token exchange whose <c>username</c> (as the NuGet/login action sends it) names another user is refused;
/// requests without a username are not checked. A consistency check, not an identity: the token's claims are that.
/// </param>
/// <param name="PinIds">Record and then require GitHub's repository and owner ids (<see cref="GitHubIdPinning"/>).</param>
/// <param name="Pinned">The ids recorded from the first accepted token; null until then.</param>
public sealed record TrustPolicy(
    string Name,
    string Issuer,
    string Audience,
    IReadOnlyDictionary<string, string> RequiredClaims,
    ApiKeyScopes Scopes,
    IReadOnlyList<string> PackageGlobs,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    bool OneTimeUse,
    string? User = null,
    bool PinIds = true,
    PinnedIds? Pinned = null)
{
    public const int MaxRequiredClaims = 16;

    public const int MaxClaimValueLength = 256;

    /// <summary>Scopes a policy can grant: publishing ones only (read access is not a CI pipeline's business here).</summary>
    public const ApiKeyScopes GrantableScopes = ApiKeyScopes.Push | ApiKeyScopes.PushVersion | ApiKeyScopes.Unlist;

    /// <summary>
    /// Claims that say who the caller is. The audience of a GitHub Actions token is chosen by the workflow itself, so
    /// issuer + audience alone would let every repository on GitHub in: at least one of these must be required exactly.
    /// </summary>
    public static readonly IReadOnlySet<string> IdentifyingClaims = new HashSet<string>(StringComparer.Ordinal)
    {
        "sub", "oid", "repository", "repository_id", "repository_owner", "repository_owner_id", "workflow_ref", "job_workflow_ref",
    };

    /// <summary>Validated by the token handler itself, so a policy cannot require (or loosen) them.</summary>
    private static readonly HashSet<string> RegisteredClaims = new(StringComparer.Ordinal) { "iss", "aud", "exp", "nbf", "iat", "jti" };

    public const int MaxUserLength = 64;

    /// <summary>The stored row's ETag (null for a policy not read from the store): recording pinned ids is ETag-checked.</summary>
    public string? ETag { get; init; }

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expires && expires <= now;

    /// <summary>Null when the policy can be stored; otherwise what is wrong with it.</summary>
    public string? Validate()
    {
        if (!IsValidName(Name))
        {
            return "The policy name must be 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit.";
        }

        if (IssuerUri.Check(Issuer, allowHttpLoopback: true) is { } issuerProblem)
        {
            return issuerProblem;
        }

        if (string.IsNullOrWhiteSpace(Audience) || Audience.Length > MaxClaimValueLength)
        {
            return "The audience is required (at most 256 characters).";
        }

        if (RequiredClaims.Count is 0 or > MaxRequiredClaims)
        {
            return $"A policy requires 1 to {MaxRequiredClaims} claims.";
        }

        foreach (var (claim, pattern) in RequiredClaims)
        {
            if (!IsValidClaimName(claim) || RegisteredClaims.Contains(claim))
            {
                return $"'{claim}' cannot be required: claim names are letters, digits, '_', '.', ':' or '-', and iss/aud/exp/nbf/iat/jti are checked by the feed itself.";
            }

            if (pattern.Length is 0 or > MaxClaimValueLength || pattern.Any(char.IsControl))
            {
                return $"The value required for '{claim}' must be 1-{MaxClaimValueLength} printable characters.";
            }
        }

        if (!RequiredClaims.Any(c => IdentifyingClaims.Contains(c.Key) && !c.Value.Contains('*', StringComparison.Ordinal)))
        {
            return "A policy must require an exact value (no '*') for at least one identifying claim: " + string.Join(", ", IdentifyingClaims.Order()) + ".";
        }

        if (User is not null && (User.Length is 0 or > MaxUserLength || !User.All(c => c is > ' ' and <= '~')))
        {
            return $"The user must be 1-{MaxUserLength} printable characters without spaces.";
        }

        if (Pinned is { } pinned && new[] { pinned.RepositoryId, pinned.RepositoryOwnerId }.Any(id => id is not null && (id.Length is 0 or > GitHubIdPinning.MaxIdLength)))
        {
            return "A pinned id is 1-64 characters.";
        }

        if (Scopes == ApiKeyScopes.None || (Scopes & ~GrantableScopes) != 0)
        {
            return "A policy grants push, pushversion and/or unlist.";
        }

        return PackageGlobs.FirstOrDefault(g => !PackageIdGlob.IsValid(g)) is { } bad ? $"'{bad}' is not a valid package id glob." : null;
    }

    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static bool IsValidClaimName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-');
}
