using System.Text;

namespace FeedFunctions.Packages;

/// <summary>
/// Builds error messages that end up in HTTP reason phrases, where CR/LF would split the response and non-ASCII
/// is mangled or rejected by servers and clients.
/// </summary>
internal static class ErrorText
{
    private const int MaxQuotedLength = 60;

    /// <summary>
    /// Quotes a user-supplied value: truncated so the surrounding message stays readable, and with anything outside
    /// printable ASCII shown as <c>\uXXXX</c> so look-alike characters are visible instead of silently passing.
    /// </summary>
    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "''";
        }

        var builder = new StringBuilder(Math.Min(value.Length, MaxQuotedLength) + 8).Append('\'');
        var shown = 0;
        foreach (var c in value)
        {
            if (shown >= MaxQuotedLength)
            {
                builder.Append("...");
                break;
            }

            if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
                shown++;
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                shown += 6;
            }
        }

        return builder.Append('\'').ToString();
    }

    /// <summary>Last line of defence for messages that did not go through <see cref="Quote"/>.</summary>
    public static string ToReasonPhrase(string message)
    {
        var builder = new StringBuilder(Math.Min(message.Length, InvalidPackageException.MaxMessageLength));
        foreach (var c in message)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        var text = builder.ToString().Trim();
        return text.Length <= InvalidPackageException.MaxMessageLength
            ? text
            : string.Concat(text.AsSpan(0, InvalidPackageException.MaxMessageLength - 3), "...");
    }
}
