using FeedFunctions.Publishing;
using Microsoft.IdentityModel.Tokens;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// The answers to tokens that do not pass, each naming the check that failed and nothing of the token itself.
/// 401 when the token does not prove an identity (the caller must bring another token); 403 when it does, but no
/// policy lets that identity do this; 503 when the issuer's keys cannot be had right now (the client retries).
/// </summary>
public static class TokenRefusals
{
    public static NuGetResult TooLarge() => Unauthorized($"The token is larger than {TrustedPublishingOptions.MaxTokenBytes} bytes.");

    public static NuGetResult Algorithm() => Unauthorized("The token's signing algorithm is not allowed (RS256 or ES256 only).");

    public static NuGetResult UntrustedIssuer() => Unauthorized("The token's issuer is not trusted by any trust policy of this feed.");

    public static NuGetResult InsecureIssuer() => Unauthorized("The token's issuer is not reachable over https, so its keys are not trusted.");

    public static NuGetResult PoliciesExpired() => Forbidden("The trust policies for the token's issuer have expired.");

    /// <summary>
    /// 503 with <c>Retry-After</c>: the keys are fetched again at most once per <paramref name="refetchInterval"/>
    /// (<see cref="TrustedPublishingOptions.UnknownKeyRefreshInterval"/>), so a retry sooner would meet the same answer.
    /// </summary>
    public static NuGetResult KeysUnavailable(TimeSpan refetchInterval) =>
        new(StatusCodes.Status503ServiceUnavailable, "The token issuer's signing keys could not be retrieved. Please retry.")
        {
            RetryAfterSeconds = (int)Math.Clamp(Math.Ceiling(refetchInterval.TotalSeconds), 1, 3600),
        };

    public static NuGetResult MissingTokenId() => Unauthorized("The token has no jti, which its trust policy requires (one-time use).");

    public static NuGetResult Replayed() => Unauthorized("The token was already used; its trust policy accepts each token once.");

    public static NuGetResult NoPolicyMatches(IReadOnlyCollection<string> failedClaims) => Forbidden(
        failedClaims.Count == 1 && failedClaims.First() == TrustPolicyMatcher.UsernameCheck
            ? "No trust policy accepts this token: the request's 'username' is not the user its trust policy names."
            : failedClaims.Count == 1
            ? $"No trust policy accepts this token: its '{failedClaims.First()}' claim does not match."
            : $"No trust policy accepts this token: its claims {string.Join(", ", failedClaims.Select(c => $"'{c}'"))} do not match.");

    public static NuGetResult PolicyRemoved() => Forbidden("No trust policy accepts this token: its trust policy was removed.");

    /// <summary>The validation failure <paramref name="exception"/> as an answer; key-not-found first, it derives from invalid-signature.</summary>
    public static NuGetResult For(Exception? exception) => exception switch
    {
        SecurityTokenSignatureKeyNotFoundException => Unauthorized("The token's signing key (kid) is not among the issuer's published keys."),
        SecurityTokenInvalidAlgorithmException => Algorithm(),
        SecurityTokenInvalidSignatureException => Unauthorized("The token's signature is invalid."),
        SecurityTokenInvalidIssuerException => UntrustedIssuer(),
        SecurityTokenInvalidAudienceException => Unauthorized("The token's audience (aud) is not one a trust policy of this feed accepts."),
        SecurityTokenExpiredException => Unauthorized("The token has expired (exp)."),
        SecurityTokenNotYetValidException => Unauthorized("The token is not valid yet (nbf)."),
        SecurityTokenNoExpirationException => Unauthorized("The token has no expiry (exp)."),
        SecurityTokenInvalidLifetimeException => Unauthorized("The token's lifetime is invalid (nbf after exp)."),
        SecurityTokenMalformedException or ArgumentException => Unauthorized("The token is malformed."),
        _ => Unauthorized("The token is not valid."),
    };

    private static NuGetResult Unauthorized(string reason) => NuGetResult.Unauthorized(reason);

    private static NuGetResult Forbidden(string reason) => NuGetResult.Forbidden(reason);
}
