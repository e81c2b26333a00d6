using Microsoft.IdentityModel.JsonWebTokens;

namespace FeedFunctions.TrustedPublishing;

/// <summary>Which policy accepts a validated token, by its audience and required claims; and what to record of the caller.</summary>
public static class TrustPolicyMatcher
{
    /// <summary>
    /// The first policy (by name, so the choice is stable) whose audience the token carries and whose every required
    /// claim matches; otherwise null and, per policy tried, the first claim that did not match (names only).
    /// </summary>
    public static (TrustPolicy? Policy, IReadOnlyCollection<string> FailedClaims) Match(JsonWebToken token, IEnumerable<TrustPolicy> candidates)
    {
        var failed = new List<string>();
        foreach (var policy in candidates.Where(p => token.Audiences.Contains(p.Audience, StringComparer.Ordinal)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var mismatch = policy.RequiredClaims.FirstOrDefault(c => SingleValue(token, c.Key) is not { } value || !ClaimPattern.Matches(c.Value, value));
            if (mismatch.Key is null)
            {
                return (policy, []);
            }

            if (!failed.Contains(mismatch.Key))
            {
                failed.Add(mismatch.Key);
            }
        }

        return (null, failed);
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
