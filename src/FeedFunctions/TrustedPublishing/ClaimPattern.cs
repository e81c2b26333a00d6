using FeedFunctions.Auth;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// A required claim value: exact, or with <c>*</c> standing for any run of characters (e.g. <c>refs/tags/v*</c>).
/// Ordinal and case-sensitive, as the issuers compare their own claims; no regular expressions on token input.
/// </summary>
public static class ClaimPattern
{
    public static bool Matches(string pattern, string value) => Wildcard.Matches(pattern, value, StringComparison.Ordinal);
}
