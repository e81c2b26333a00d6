using Microsoft.IdentityModel.JsonWebTokens;

namespace FeedFunctions.TrustedPublishing;

/// <summary>Which policy accepts a validated token, by its audience and required claims; and what to record of the caller.</summary>
public static class TrustPolicyMatcher
{
    /// <summary>The name <see cref="Match"/> reports when a request's <c>username</c> is not the user a policy names.</summary>
    public const string UsernameCheck = "username";

    /// <summary>
    /// The first policy (by name, so the choice is stable) whose audience the token carries, whose user is the
    /// request's <paramref name="username"/> (when both are given), whose every required claim matches and whose pinned
    /// ids are the token's; otherwise null and, per policy tried, the first check that failed (claim names only).
    /// </summary>
    public static (TrustPolicy? Policy, IReadOnlyCollection<string> FailedClaims) Match(JsonWebToken token, IEnumerable<TrustPolicy> candidates, string? username = null)
    {
        var failed = new List<string>();
        foreach (var policy in candidates.Where(p => token.Audiences.Contains(p.Audience, StringComparer.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var mismatch = FirstMismatch(token, policy, username);
            if (mismatch is null)
            {
                return (policy, []);
            }

            if (!failed.Contains(mismatch))
            {
                failed.Add(mismatch);
            }
        }

        return (null, failed);
    }

    /// <summary>The pinned id claim <paramref name="token"/> does not carry as <paramref name="policy"/> recorded it, or null.</summary>
    public static string? PinnedIdMismatch(JsonWebToken token, TrustPolicy policy) => GitHubIdPinning.Mismatch(policy, name => SingleValue(token, name));

    /// <summary>The ids to pin from <paramref name="token"/>, or the id claim it lacks.</summary>
    public static (PinnedIds? Ids, string? MissingClaim) IdsToPin(JsonWebToken token, TrustPolicy policy, DateTimeOffset now) =>
        GitHubIdPinning.FromToken(policy, name => SingleValue(token, name), now);

    private static string? FirstMismatch(JsonWebToken token, TrustPolicy policy, string? username)
    {
        // NuGet user names are case-insensitive, as nuget.org compares them.
        if (policy.User is { } user && username is not null && !string.Equals(user, username, StringComparison.OrdinalIgnoreCase))
        {
            return UsernameCheck;
        }

        var mismatch = policy.RequiredClaims.FirstOrDefault(c => SingleValue(token, c.Key) is not { } value || !ClaimPattern.Matches(c.Value, value));
        return mismatch.Key ?? PinnedIdMismatch(token, policy);
    }

    public static TrustedPublisher Publisher(TrustPolicy policy, JsonWebToken token)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TrustedPublisher.RecordedClaims)
        {
            if (SingleValue(token, name) is { } value)
            {
                claims[name] = Cut(value);
            }
        }

        return new TrustedPublisher(policy.Name, policy.Issuer, string.IsNullOrEmpty(token.Subject) ? null : Cut(token.Subject), claims);
    }

    /// <summary>The claim's value when the token has it exactly once (an array claim is ambiguous: it matches nothing).</summary>
    private static string? SingleValue(JsonWebToken token, string name)
    {
        string? value = null;
        foreach (var claim in token.Claims)
        {
            if (string.Equals(claim.Type, name, StringComparison.Ordinal))
            {
                if (value is not null)
                {
                    return null;
                }

                value = claim.Value;
            }
        }

        return value;
    }

    private static string Cut(string value) => value.Length <= TrustedPublisher.MaxValueLength ? value : value[..TrustedPublisher.MaxValueLength];
}
