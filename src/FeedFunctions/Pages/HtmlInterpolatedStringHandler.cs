using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace FeedFunctions.Pages;

/// <summary>Builds <see cref="Html.Of"/>: literals verbatim, holes HTML-encoded (numbers and dates in the invariant culture).</summary>
[InterpolatedStringHandler]
public ref struct HtmlInterpolatedStringHandler
{
    private readonly StringBuilder _builder;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _builder = new StringBuilder(literalLength + (formattedCount * 16));
    }

    public readonly void AppendLiteral(string markup) => _builder.Append(markup);

    public readonly void AppendFormatted(Html html) => _builder.Append(html.Value);

    public readonly void AppendFormatted(string? text) => _builder.Append(Html.Encoder.Encode(text ?? string.Empty));

    public readonly void AppendFormatted<T>(T value, string? format = null)
        where T : IFormattable =>
        _builder.Append(Html.Encoder.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    public readonly string ToStringAndClear()
    {
        var text = _builder.ToString();
        _builder.Clear();
        return text;
    }
}
