using System.Globalization;
using System.Text.RegularExpressions;

namespace FeedFunctions.Packages;

/// <summary>
/// Feed policy on the text values NuGet read from a nuspec: nuget.org's length limits, required fields, list
/// splitting, http(s)-only links and unreplaced pack tokens. No XML here: the values come from NuspecReader.
/// </summary>
internal static partial class NuspecText
{
    private static readonly char[] ListSeparators = [',', ' ', '\t', '\r', '\n'];

    /// <summary>Trimmed value, or null when absent or blank; refused when longer than the limit.</summary>
    public static string? Text(string? value, string field, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new InvalidPackageException(
                $"The <{field}> is longer than {maxLength.ToString(CultureInfo.InvariantCulture)} characters.");
        }

        return text;
    }

    public static string Required(string? value, string field, int maxLength) =>
        Text(value, field, maxLength) ?? throw new InvalidPackageException($"The .nuspec is missing the required <{field}> element.");

    /// <summary>Project, license and icon URLs are shown as links, so only absolute http(s) is accepted.</summary>
    public static Uri? Url(string? value, string field)
    {
        var text = Text(value, field, NuspecLimits.Url);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidPackageException($"The <{field}> {ErrorText.Quote(text)} is not an absolute http or https URL.");
        }

        return uri;
    }

    /// <summary>Splits authors, owners or tags; duplicates are dropped because they carry no meaning.</summary>
    public static IReadOnlyList<string> List(string? text, bool commaOnly)
    {
        if (text is null)
        {
            return [];
        }

        var separators = commaOnly ? [','] : ListSeparators;
        return text.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// An unreplaced <c>$token$</c> means the nuspec came from a pack template that was never filled in.
    /// </summary>
    public static void RejectReplacementToken(string field, string? value)
    {
        if (value is not null && ReplacementToken().Match(value) is { Success: true } match)
        {
            throw new InvalidPackageException(
                $"The <{field}> contains the unreplaced token {ErrorText.Quote(match.Value)}.");
        }
    }

    [GeneratedRegex(@"\$[A-Za-z0-9_.]+\$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplacementToken();
}
