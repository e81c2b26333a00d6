using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FeedFunctions.Pages;

/// <summary>
/// Renders a package's README (untrusted markdown) to HTML with Markdig. Raw HTML is off (it is shown as text), and
/// only a fixed set of extensions is on: not Markdig's "advanced" set, whose generic attributes would let a readme
/// write <c>onclick=</c>. After parsing, every link is checked: http(s) and <c>#anchors</c> stay links, anything
/// else (javascript:, data:, relative paths that mean nothing on this feed) becomes its text. Images become links
/// to the image: a private feed should not make every visitor's browser fetch third-party URLs (they would track
/// who reads the page), and the pages' Content-Security-Policy (img-src 'self') would block them anyway.
/// </summary>
public static class ReadmeRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseTaskLists()
        .UseAutoLinks()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UseReferralLinks("nofollow", "noopener", "noreferrer")
        .Build();

    public static Html Render(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            MakeSafe(link);
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            if (autolink.IsEmail || !SafeUrl.IsHttp(autolink.Url))
            {
                autolink.ReplaceBy(new LiteralInline(autolink.Url));
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return Html.Trusted(writer.ToString());
    }

    private static void MakeSafe(LinkInline link)
    {
        // Reference links to headings get their URL late, from the auto identifiers; judge the URL that will be written.
        var url = link.GetDynamicUrl?.Invoke() ?? link.Url;
        if (SafeUrl.IsHttp(url) || (!link.IsImage && SafeUrl.IsFragment(url)))
        {
            link.IsImage = false;
            link.Url = url;
            link.GetDynamicUrl = null;
            if (link.FirstChild is null)
            {
                // An image with no alt text would become an empty link.
                link.AppendChild(new LiteralInline(url!));
            }

            return;
        }

        // Not a link any more: its text (an image's alt text) stays, so nothing is lost from the sentence.
        link.ReplaceBy(new ContainerInline());
    }
}
