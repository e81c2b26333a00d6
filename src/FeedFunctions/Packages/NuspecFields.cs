using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace FeedFunctions.Packages;

/// <summary>Typed, length-checked access to the children and attributes of a nuspec element.</summary>
internal static partial class NuspecFields
{
    private static readonly char[] ListSeparators = [',', ' ', '\t', '\r', '\n'];

    /// <summary>
    /// Trimmed text of a child element, or null when absent or blank. NuGet reads only the first of duplicated
    /// elements; we refuse duplicates instead so the feed and clients cannot disagree about a package.
    /// </summary>
    public static string? Text(XElement parent, string name, int maxLength)
    {
        XElement? found = null;
        foreach (var element in parent.Elements())
        {
            if (element.Name.LocalName != name)
            {
                continue;
            }

            if (found is not null)
            {
                throw new InvalidPackageException($"The .nuspec has more than one <{name}> element.");
            }

            found = element;
        }

        return found is null ? null : Check(name, found.Value, maxLength);
    }

    public static string Required(XElement parent, string name, int maxLength) =>
        Text(parent, name, maxLength) ?? throw new InvalidPackageException($"The .nuspec is missing the required <{name}> element.");

    public static string? Attribute(XElement element, string name, int maxLength)
    {
        var attribute = element.Attributes().FirstOrDefault(a => a.Name.LocalName == name);
        return attribute is null ? null : Check($"{element.Name.LocalName} {name}", attribute.Value, maxLength);
    }

    public static XElement? Child(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent?.Elements().Where(e => e.Name.LocalName == name) ?? [];

    /// <summary>Project, license and icon URLs are shown as links, so only absolute http(s) is accepted.</summary>
    public static Uri? Url(XElement parent, string name)
    {
        var text = Text(parent, name, NuspecLimits.Url);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidPackageException($"The <{name}> {ErrorText.Quote(text)} is not an absolute http or https URL.");
        }

        return uri;
    }

    public static bool Flag(XElement parent, string name)
    {
        var text = Text(parent, name, NuspecLimits.Other);
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        // xs:boolean also allows 1 and 0, and the nuspec schema declares these elements as xs:boolean.
        return text switch
        {
            "1" => true,
            "0" => false,
            _ => throw new InvalidPackageException($"The <{name}> value {ErrorText.Quote(text)} is not true or false."),
        };
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

    private static string? Check(string name, string value, int maxLength)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            throw new InvalidPackageException(
                $"The <{name}> is longer than {maxLength.ToString(CultureInfo.InvariantCulture)} characters.");
        }

        return text;
    }

    [GeneratedRegex(@"\$[A-Za-z0-9_.]+\$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplacementToken();
}
