using FeedFunctions.Tests.Infrastructure;
using Microsoft.Playwright;

namespace FeedFunctions.Tests.Browser;

/// <summary>
/// A private feed in the browser: without credentials the pages answer with the Basic challenge (the browser's
/// login prompt); with them everything renders. The screenshots in docs/ are taken here, from this demo feed:
/// set FEED_UPDATE_SCREENSHOTS=1 to write them there, otherwise they go to a temp folder and are only checked.
/// </summary>
public sealed class PrivateFeedBrowserTests(PrivateFeedHost feed) : IClassFixture<PrivateFeedHost>
{
    [BrowserFact]
    public async Task Without_credentials_the_browser_is_challenged_and_with_them_the_pages_render()
    {
        var host = feed.Host;
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var anonymous = await chromium.NewPageAsync();
        var signedIn = await chromium.NewPageAsync("reader", host.ApiKey);

        var pages = await ChallengeAsync(anonymous, host.BaseUrl + "/");
        var package = await ChallengeAsync(anonymous, host.BaseUrl + "/packages/Contoso.Json");
        var icon = await ChallengeAsync(anonymous, host.BaseUrl + "/v3/flatcontainer/contoso.json/2.0.0/icon");
        var home = await signedIn.GotoAsync(host.BaseUrl + "/");

        foreach (var (response, error) in new[] { pages, package, icon })
        {
            Assert.Equal(401, response.Status);
            Assert.Equal("Basic realm=\"feed\"", await response.HeaderValueAsync("www-authenticate"));

            // What a headless browser does where a person sees the login prompt: it had no credentials to give.
            Assert.Contains("ERR_INVALID_AUTH_CREDENTIALS", error);
        }

        Assert.Equal(200, home!.Status);
        Assert.Equal("private, no-cache", await home.HeaderValueAsync("cache-control"));
        Assert.Contains("Contoso.Json", await signedIn.Locator(".results").TextContentAsync());
        await Poll.UntilAsync(
            () => signedIn.Locator("img.icon").First.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"),
            width => width > 0,
            what: "the icon to load with the page's credentials");
    }

    [BrowserFact]
    public async Task Screenshots_of_the_home_and_a_package_page()
    {
        var host = feed.Host;
        var update = Environment.GetEnvironmentVariable("FEED_UPDATE_SCREENSHOTS") == "1";
        var folder = update ? RepositoryPaths.InRoot("docs", "screenshots") : Directory.CreateTempSubdirectory("feed-screenshots-").FullName;
        Directory.CreateDirectory(folder);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync("reader", host.ApiKey);

        await page.GotoAsync(host.BaseUrl + "/");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var home = Path.Combine(folder, "home.png");
        await page.ScreenshotAsync(new() { Path = home, FullPage = true });
        await page.GotoAsync(host.BaseUrl + "/packages/Contoso.Json");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var package = Path.Combine(folder, "package.png");
        await page.ScreenshotAsync(new() { Path = package, FullPage = true });

        foreach (var file in new[] { home, package })
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 10_000, $"{file} is only {bytes.Length} bytes");
            Assert.Equal(0x89, bytes[0]);
        }

        if (!update)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Navigates without credentials: the challenge the browser got, and how the navigation ended.</summary>
    private static async Task<(IResponse Response, string Error)> ChallengeAsync(IPage page, string url)
    {
        var responses = new List<IResponse>();
        void Record(object? sender, IResponse response) => responses.Add(response);
        page.Response += Record;
        try
        {
            await page.GotoAsync(url);
            return (Assert.Single(responses, r => r.Url == url), "navigated");
        }
        catch (PlaywrightException ex)
        {
            return (Assert.Single(responses, r => r.Url == url), ex.Message);
        }
        finally
        {
            page.Response -= Record;
        }
    }
}
