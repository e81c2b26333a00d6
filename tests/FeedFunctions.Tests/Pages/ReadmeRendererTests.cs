using FeedFunctions.Pages;

namespace FeedFunctions.Tests.Pages;

/// <summary>Untrusted markdown in, HTML out that can neither run script nor make the browser fetch third-party URLs.</summary>
public sealed class ReadmeRendererTests
{
    private static string Render(string markdown) => ReadmeRenderer.Render(markdown).Value;

    [Fact]
    public void Renders_markdown_with_tables_task_lists_strikethrough_and_heading_anchors()
    {
        var html = Render("""
            # Contoso

            Some **bold** and `code`. See [Usage](#usage) and [the docs](https://contoso.example/docs).

            ## Usage

            | a | b |
            |---|---|
            | 1 | ~~2~~ |

            - [x] done
            """);

        Assert.Contains("<h1 id=\"contoso\">Contoso</h1>", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<a href=\"#usage\"", html);
        Assert.Contains("<a href=\"https://contoso.example/docs\" rel=\"nofollow noopener noreferrer\">the docs</a>", html);
        Assert.Contains("<h2 id=\"usage\">Usage</h2>", html);
        Assert.Contains("<table>", html);
        Assert.Contains("<del>2</del>", html);
        Assert.Contains("type=\"checkbox\"", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("text <b onmouseover=\"alert(1)\">inline</b> html")]
    [InlineData("<div>\n<iframe src=\"https://evil.example\"></iframe>\n</div>")]
    public void Raw_html_is_shown_as_text(string markdown)
    {
        var html = Render(markdown);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;", html);
    }

    [Theory]
    [InlineData("[click](javascript:alert(1))")]
    [InlineData("[click](JavaScript:alert(1))")]
    [InlineData("[click]( javascript:alert(1) )")]
    [InlineData("[click](&#106;avascript:alert(1))")]
    [InlineData("[click](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[click](vbscript:msgbox)")]
    [InlineData("[click](//evil.example/x)")]
    [InlineData("[click](file:///etc/passwd)")]
    [InlineData("[click](docs/guide.md)")]
    [InlineData("[click][ref]\n\n[ref]: javascript:alert(1)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("<mailto:someone@example.com>")]
    public void Links_other_than_http_and_anchors_become_their_text(string markdown)
    {
        var html = Render(markdown);

        Assert.DoesNotContain("href", html);
        Assert.DoesNotContain("<a", html);
        Assert.StartsWith("<p>", html);
    }

    [Fact]
    public void Images_become_links_to_the_image_and_are_never_loaded()
    {
        var html = Render("![the logo](https://tracker.example/logo.png) ![](https://tracker.example/pixel.gif) ![bad](javascript:alert(1))");

        Assert.DoesNotContain("<img", html);
        Assert.Contains("<a href=\"https://tracker.example/logo.png\" rel=\"nofollow noopener noreferrer\">the logo</a>", html);
        Assert.Contains(">https://tracker.example/pixel.gif</a>", html);
        Assert.Contains("bad", html);
        Assert.DoesNotContain("javascript", html);
    }

    [Fact]
    public void Generic_attributes_are_not_an_extension_in_use()
    {
        var html = Render("# Title {onclick=alert(1)}\n\n[x](https://contoso.example){onmouseover=alert(1)}");

        Assert.DoesNotContain("onclick=\"", html);
        Assert.DoesNotContain("onmouseover=\"", html);
    }
}
