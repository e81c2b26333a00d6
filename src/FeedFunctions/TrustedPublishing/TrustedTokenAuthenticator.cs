using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Checks an OIDC token against the trust policies: size, algorithm, issuer (only issuers that policies name are ever
/// contacted), then signature, audience and lifetime by <see cref="JsonWebTokenHandler"/> against the issuer's
/// published keys, then the policies' required claims, then one-time use. Never logs the token.
/// </summary>
public sealed class TrustedTokenAuthenticator(
    TrustPolicyStore policies,
    IssuerKeySource keys,
    TokenUseLedger ledger,
    IOptions<TrustedPublishingOptions> options,
    TimeProvider time,
    ILogger<TrustedTokenAuthenticator> logger)
{
    /// <summary>Asymmetric only: with an HMAC algorithm a published key would become a shared secret.</summary>
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = TrustedPublishingOptions.MaxTokenBytes };

    public bool Enabled => options.Value.Enabled;

    /// <summary>
    /// Whether a presented credential is a JWT rather than an API key: a JWS in compact form (three base64url
    /// segments) whose header is JSON naming an <c>alg</c>, as the token library reads it. Larger ones count as
    /// tokens if they start like one (<c>eyJ</c>, base64url of <c>{"</c>) so that they get the size refusal.
    /// </summary>
    public static bool LooksLikeToken(string presented)
    {
        if (presented.Length > TrustedPublishingOptions.MaxTokenBytes)
        {
            return presented.StartsWith("eyJ", StringComparison.Ordinal);
        }

        if (presented.Count(c => c == '.') != 2 || !Handler.CanReadToken(presented))
        {
            return false;
        }

        try
        {
            return !string.IsNullOrEmpty(new JsonWebToken(presented).Alg);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return false;
        }
    }

    public Task<TrustedTokenResult> AuthenticateAsync(string token, CancellationToken cancellationToken) => AuthenticateAsync(token, null, cancellationToken);

    /// <param name="username">The NuGet/login action's <c>username</c>: checked against a policy that names a user.</param>
    public async Task<TrustedTokenResult> AuthenticateAsync(string token, string? username, CancellationToken cancellationToken)
    {
        if (Encoding.UTF8.GetByteCount(token) > TrustedPublishingOptions.MaxTokenBytes)
        {
            return Refuse(TokenRefusals.TooLarge(), "too large");
        }

        JsonWebToken unvalidated;
        try
        {
            unvalidated = Handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            return Refuse(TokenRefusals.For(ex), "malformed");
        }

        // Before anything is fetched: 'none' and HMAC never reach the key lookup.
        if (!AllowedAlgorithms.Contains(unvalidated.Alg, StringComparer.Ordinal))
        {
            return Refuse(TokenRefusals.Algorithm(), "algorithm");
        }

        var issuer = unvalidated.Issuer;
        var forIssuer = (await policies.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(p => string.Equals(p.Issuer, issuer, StringComparison.Ordinal)).ToList();
        if (forIssuer.Count == 0)
        {
            return Refuse(TokenRefusals.UntrustedIssuer(), "untrusted issuer");
        }

        if (IssuerUri.Check(issuer, options.Value.AllowHttpLoopbackIssuers) is not null)
        {
            return Refuse(TokenRefusals.InsecureIssuer(), "issuer not https");
        }

        var active = forIssuer.Where(p => !p.IsExpired(time.GetUtcNow())).ToList();
        if (active.Count == 0)
        {
            return Refuse(TokenRefusals.PoliciesExpired(), "policies expired");
        }

        TokenValidationResult validation;
        try
        {
            validation = await ValidateAsync(token, issuer, active, cancellationToken).ConfigureAwait(false);
        }
        catch (IssuerMetadataException ex)
        {
            logger.LogWarning("Trusted publishing: keys of issuer {Issuer} unavailable: {Problem} ({Error})", issuer, ex.Message, ex.InnerException?.GetType().Name);
            return TrustedTokenResult.Refused(TokenRefusals.KeysUnavailable(options.Value.UnknownKeyRefreshInterval));
        }

        if (!validation.IsValid)
        {
            return Refuse(TokenRefusals.For(validation.Exception), validation.Exception?.GetType().Name ?? "invalid");
        }

        var validated = (JsonWebToken)validation.SecurityToken;
        var (policy, failedClaims) = TrustPolicyMatcher.Match(validated, active, username);
        if (policy is null)
        {
            logger.LogInformation("Trusted publishing: valid token of {Issuer} matched no policy (claims {Claims})", issuer, string.Join(",", failedClaims));
            return TrustedTokenResult.Refused(TokenRefusals.NoPolicyMatches(failedClaims));
        }

        if (GitHubIdPinning.NeedsRecording(policy))
        {
            var (pinned, refusal) = await PinAsync(policy, validated, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return TrustedTokenResult.Refused(refusal);
            }

            policy = pinned!;
        }

        var publisher = TrustPolicyMatcher.Publisher(policy, validated);
        if (policy.OneTimeUse)
        {
            if (string.IsNullOrEmpty(validated.Id))
            {
                return Refuse(TokenRefusals.MissingTokenId(), "no jti", publisher);
            }

            if (!await ledger.TryRecordAsync(issuer, validated.Id, validated.ValidTo, policy.Name, cancellationToken).ConfigureAwait(false))
            {
                return Refuse(TokenRefusals.Replayed(), "replayed", publisher);
            }
        }

        return new TrustedTokenResult(policy, publisher, null);
    }

    /// <summary>
    /// Validates once; a key id the cached keys lack (a rotation) gets one refresh of the keys and one more try, or 503
    /// when that refresh fails (<see cref="IssuerKeySource.GetRefreshedKeysAsync"/>).
    /// </summary>
    private async Task<TokenValidationResult> ValidateAsync(string token, string issuer, IReadOnlyList<TrustPolicy> active, CancellationToken cancellationToken)
    {
        var result = await Handler.ValidateTokenAsync(token, Parameters(issuer, active, await keys.GetKeysAsync(issuer, cancellationToken).ConfigureAwait(false)))
            .ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            result = await Handler.ValidateTokenAsync(token, Parameters(issuer, active, await keys.GetRefreshedKeysAsync(issuer, cancellationToken).ConfigureAwait(false)))
                .ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// The first accepted token of a policy that pins GitHub ids records them (<see cref="TrustPolicyStore.RecordPinnedIdsAsync"/>):
    /// when another token recorded other ids first, this one is refused as a later token with other ids would be.
    /// </summary>
    private async Task<(TrustPolicy? Policy, Publishing.NuGetResult? Refusal)> PinAsync(TrustPolicy policy, JsonWebToken token, CancellationToken cancellationToken)
    {
        var (ids, missing) = TrustPolicyMatcher.IdsToPin(token, policy, time.GetUtcNow());
        if (ids is null)
        {
            logger.LogInformation("Trusted publishing: policy {Policy} pins GitHub ids but the token has no usable {Claim}", policy.Name, missing);
            return (null, TokenRefusals.NoPolicyMatches([missing!]));
        }

        var stored = await policies.RecordPinnedIdsAsync(policy, ids, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (null, TokenRefusals.PolicyRemoved());
        }

        if (TrustPolicyMatcher.PinnedIdMismatch(token, stored) is { } mismatch)
        {
            logger.LogWarning("Trusted publishing: policy {Policy} was pinned by another token meanwhile; this token's {Claim} differs", policy.Name, mismatch);
            return (null, TokenRefusals.NoPolicyMatches([mismatch]));
        }

        if (stored.Pinned == ids)
        {
            logger.LogInformation(
                "Trusted publishing: policy {Policy} pinned to repository_id {RepositoryId}, repository_owner_id {OwnerId}",
                policy.Name, ids.RepositoryId ?? "-", ids.RepositoryOwnerId ?? "-");
        }

        return (stored, null);
    }

    private TokenValidationParameters Parameters(string issuer, IReadOnlyList<TrustPolicy> active, ICollection<SecurityKey> signingKeys) => new()
    {
        ValidIssuer = issuer,
        ValidAudiences = active.Select(p => p.Audience).Distinct(StringComparer.Ordinal).ToList(),
        IgnoreTrailingSlashWhenValidatingAudience = false,
        RequireAudience = true,
        ValidAlgorithms = AllowedAlgorithms,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = options.Value.EffectiveClockSkew,
        IssuerSigningKeys = signingKeys,
        SaveSigninToken = false,
        LogValidationExceptions = false,
    };

    private TrustedTokenResult Refuse(Publishing.NuGetResult refusal, string check, TrustedPublisher? publisher = null)
    {
        // The check and, once known, the policy and the run; never the token or its unvalidated claims.
        logger.LogInformation("Trusted publishing refused a token ({Check}): {Status} {Reason} {Publisher}", check, refusal.StatusCode, refusal.Reason, publisher?.DisplayName);
        return TrustedTokenResult.Refused(refusal);
    }
}
