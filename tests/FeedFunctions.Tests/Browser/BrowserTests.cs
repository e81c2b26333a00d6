using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.Tests.OnHost;
using Microsoft.Playwright;

namespace FeedFunctions.Tests.Browser;

/// <summary>
/// The package browser in a real browser (headless Chromium) against the feed on the Functions host: what a person
/// sees and clicks, the icon actually decoded, and a hostile readme that must not run anything.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class BrowserTests(SharedHost shared)
{
    [BrowserFact]
    public async Task Search_finds_a_pushed_package_whose_page_shows_its_readme_dependencies_icon_and_install_snippets()
    {
        var host = shared.Host;
        await DemoPackages.PushAsync(host, "Contoso.Browser");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(host.BaseUrl + "/");
        await page.FillAsync("input[name=q]", "Contoso.Browser.Json");
        await page.PressAsync("input[name=q]", "Enter");
        await page.WaitForURLAsync("**/packages?q=Contoso.Browser.Json*");
        var result = page.Locator(".result h2 a").First;
        Assert.Equal("Contoso.Browser.Json", await result.TextContentAsync());
        await result.ClickAsync();
        await page.WaitForURLAsync("**/packages/Contoso.Browser.Json");

        Assert.Equal("Contoso.Browser.Json 2.0.0", (await page.Locator("h1").First.TextContentAsync())?.Trim());
        Assert.Equal("Contoso.Browser.Json", await page.Locator(".readme-body h1").TextContentAsync());
        Assert.Equal(2, await page.Locator(".readme-body pre code").CountAsync());
        Assert.Equal(1, await page.Locator(".readme-body table").CountAsync());
        Assert.Equal(["net10.0", "netstandard2.0"], await page.Locator(".deps h3").AllTextContentsAsync());
        Assert.Contains("dotnet add package Contoso.Browser.Json --version 2.0.0", await page.Locator(".install").TextContentAsync());

        // The site's own script runs under the CSP: it added a Copy button to each snippet.
        Assert.Equal(4, await page.Locator(".snippet .copy").CountAsync());

        // The icon came from the flat container and the browser decoded it.
        var icon = page.Locator("img.icon.large");
        Assert.EndsWith("/v3/flatcontainer/contoso.browser.json/2.0.0/icon", await icon.GetAttributeAsync("src"));
        await Poll.UntilAsync(() => icon.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), width => width == 64, what: "the icon to load");

        // A dependency on the feed links to its page.
        await page.Locator(".deps a", new PageLocatorOptions { HasText = "Contoso.Browser.Core" }).First.ClickAsync();
        await page.WaitForURLAsync("**/packages/Contoso.Browser.Core");
        Assert.Equal("Contoso.Browser.Core 1.2.0", (await page.Locator("h1").First.TextContentAsync())?.Trim());
    }

    [BrowserFact]
    public async Task An_unlisted_version_is_marked_and_the_prerelease_toggle_shows_previews()
    {
        var host = shared.Host;
        await DemoPackages.PushAsync(host, "Contoso.Marks");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();

        await page.GotoAsync(host.BaseUrl + "/packages/Contoso.Marks.Json");
        var unlistedRow = page.Locator(".versions tr", new PageLocatorOptions { HasText = "2.1.0" });
        Assert.Equal("unlisted", await unlistedRow.Locator(".badge.unlisted").TextContentAsync());
        await unlistedRow.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/packages/Contoso.Marks.Json/2.1.0");
        Assert.Contains("This version is unlisted", await page.Locator(".notice").TextContentAsync());

        await page.GotoAsync(host.BaseUrl + "/packages?q=Contoso.Marks.Json");
        Assert.Equal("2.0.0", await page.Locator(".result .version").First.TextContentAsync());
        await page.CheckAsync("input[name=prerelease]");
        await page.WaitForURLAsync("**prerelease=true*");
        Assert.Equal("3.0.0-preview.1", await page.Locator(".result .version").First.TextContentAsync());
        Assert.Equal("prerelease", await page.Locator(".result .badge.prerelease").First.TextContentAsync());
    }

    [BrowserFact]
    public async Task A_readme_with_script_html_and_javascript_links_runs_nothing_and_fetches_nothing_elsewhere()
    {
        var host = shared.Host;
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Browser.Hostile", "1.0.0")
            .WithDescription("<script>window.pwned = 'description'</script>")
            .WithMetadata("readme", "README.md").WithFile("README.md", """
                # Hostile

                <script>window.pwned = 'script'</script>

                <img src="x" onerror="window.pwned = 'onerror'">

                [click me](javascript:window.pwned='link')

                [also me][ref]

                ![tracker](http://127.0.0.1:9/pixel.png)

                [ref]: javascript:window.pwned='reference'
                """));
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) => dialogs.Add(dialog.Message);
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(host.BaseUrl, StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };

        await page.GotoAsync(host.BaseUrl + "/packages/Contoso.Browser.Hostile/1.0.0");
        await page.GetByText("click me").ClickAsync();
        await page.GetByText("also me").ClickAsync();

        Assert.Equal("<script>window.pwned = 'script'</script>", (await page.Locator(".readme-body p").First.TextContentAsync())?.Trim());
        Assert.Null(await page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        Assert.Equal(0, await page.Locator(".readme-body a[href^='javascript']").CountAsync());
        Assert.Equal(0, await page.Locator(".readme-body img, .readme-body script").CountAsync());
        Assert.Empty(dialogs);
        Assert.Empty(foreign);
        Assert.EndsWith("/packages/Contoso.Browser.Hostile/1.0.0", page.Url);
    }
}
