using FeedFunctions.Pages;

namespace FeedFunctions.Tests.Pages;

public sealed class HtmlTests
{
    [Fact]
    public void Interpolated_values_are_encoded_and_html_fragments_are_not()
    {
        var hostile = "\"><script>alert('x')</script>&";
        var inner = Html.Of($"<b>{hostile}</b>");

        var html = Html.Of($"<a title=\"{hostile}\">{inner} {42} {1.5}</a>").Value;

        Assert.Equal(
            "<a title=\"&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;\"><b>&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;</b> 42 1.5</a>",
            html);
    }

    [Fact]
    public void Non_ascii_text_stays_readable()
    {
        Assert.Equal("<p>Zürich – 日本</p>", Html.Of($"<p>{"Zürich – 日本"}</p>").Value);
    }
}
