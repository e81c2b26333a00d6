namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// A required claim value: exact, or with <c>*</c> standing for any run of characters (e.g. <c>refs/tags/v*</c>).
/// Ordinal and case-sensitive, as the issuers compare their own claims; no regular expressions on token input.
/// </summary>
public static class ClaimPattern
{
    public static bool Matches(string pattern, string value)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, value, StringComparison.Ordinal);
        }

        if (!value.StartsWith(parts[0], StringComparison.Ordinal) || !value.EndsWith(parts[^1], StringComparison.Ordinal)
            || value.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        // Middle parts in order, each as early as possible, within what the prefix and suffix leave.
        var position = parts[0].Length;
        var end = value.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = parts[i].Length == 0 ? position : value.IndexOf(parts[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }
}
