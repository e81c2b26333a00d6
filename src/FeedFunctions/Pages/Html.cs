using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace FeedFunctions.Pages;

/// <summary>
/// A fragment of HTML the feed vouches for. Only <see cref="Of"/> (whose interpolated strings encode every value
/// that is not itself <see cref="Html"/>) and the readme renderer make one, so a package's text can only reach a
/// page encoded: there is no way to splice a string in raw by forgetting to encode it.
/// </summary>
public readonly struct Html
{
    /// <summary>Escapes what is special in HTML text and quoted attributes; leaves other characters readable.</summary>
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly string? _value;

    private Html(string value) => _value = value;

    public static Html Empty => default;

    public string Value => _value ?? string.Empty;

    /// <summary>Literal parts are markup; every interpolated value is encoded unless it is already <see cref="Html"/>.</summary>
    public static Html Of(ref HtmlInterpolatedStringHandler html) => new(html.ToStringAndClear());

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    /// <summary>Only for markup the feed produced itself (the readme renderer's output, embedded assets).</summary>
    internal static Html Trusted(string markup) => new(markup);

    public override string ToString() => Value;
}
