namespace FeedFunctions.Auth;

/// <summary>
/// Patterns where <c>*</c> stands for any run of characters, matched without regular expressions (so no pattern
/// or input can make matching slow): the prefix, the suffix, then the middle parts in order, each as early as
/// possible within what the prefix and suffix leave. Package-id globs and trust-policy claim patterns share it.
/// </summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string value, StringComparison comparison)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(pattern, value, comparison);
        }

        if (value.Length < parts[0].Length + parts[^1].Length
            || !value.StartsWith(parts[0], comparison) || !value.EndsWith(parts[^1], comparison))
        {
            return false;
        }

        var position = parts[0].Length;
        var end = value.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = parts[i].Length == 0 ? position : value.IndexOf(parts[i], position, end - position, comparison);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }
}
