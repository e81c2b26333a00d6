using System.Net;
using FeedFunctions.Pages;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Pages;

/// <summary>The package browser in process: what each page shows, its headers, its 404s.</summary>
public sealed class PageTests
{
    private static async Task<FeedAppHost> SeededHostAsync()
    {
        var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search", "1.0.0").WithMetadata("tags", "json parser"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search", "2.0.0-rc.1+build").WithMetadata("tags", "json parser"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search.Extras", "1.0.0").WithDescription("Helpers for the search library."));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Fabrikam.Titled", "3.0.0").WithMetadata("title", "Contoso Search Companion"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Hidden", "1.0.0"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Hidden", "1.0.0");
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Preview", "0.1.0-alpha"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Search", "Contoso.Search.Extras", "Fabrikam.Titled", "Contoso.Hidden", "Contoso.Preview");
        return host;
    }

    [Theory]
    [InlineData("")]
    [InlineData("contoso")]
    [InlineData("PARSER")]
    [InlineData("companion")]
    [InlineData("id:contoso.search")]
    [InlineData("json missingword")]
    public async Task Home_page_shows_what_v3_search_finds(string q)
    {
        await using var host = await SeededHostAsync();
        var escaped = Uri.EscapeDataString(q);

        foreach (var prerelease in new[] { false, true })
        {
            var flag = prerelease ? "true" : "false";
            var page = await PageHttp.GetPageAsync(host, $"/packages?q={escaped}&prerelease={flag}");
            var search = await ReadSideHttp.GetJsonAsync(host, $"/v3/search?q={escaped}&prerelease={flag}&semVerLevel=2.0.0");

            Assert.Equal(search["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()), PageHttp.ResultIds(page));
        }
    }

    [Fact]
    public async Task Home_page_cards_show_latest_version_description_tags_authors_and_the_prerelease_toggle()
    {
        await using var host = await SeededHostAsync();

        var stable = await PageHttp.GetPageAsync(host, "/");
        var prerelease = await PageHttp.GetPageAsync(host, "/packages?q=Contoso.Search&prerelease=true");

        Assert.Contains("<a href=\"/packages/Contoso.Search\">Contoso.Search</a> <span class=\"version\">1.0.0</span>", stable);
        Assert.Contains("Helpers for the search library.", stable);
        Assert.Contains("<a href=\"/packages?q=parser\">#parser</a>", stable);
        Assert.Contains("by Contoso", stable);
        Assert.DoesNotContain("Contoso.Hidden", stable);
        Assert.DoesNotContain("Contoso.Preview", stable);
        Assert.Contains("name=\"prerelease\" value=\"true\">", stable);
        Assert.Contains("<span class=\"version\">2.0.0-rc.1&#x2B;build</span> <span class=\"badge prerelease\">prerelease</span>", prerelease);
        Assert.Contains("name=\"prerelease\" value=\"true\" checked>", prerelease);
        Assert.Contains("value=\"Contoso.Search\"", prerelease);
        Assert.Contains("Package source: <code>" + host.BaseUrl + "/v3/index.json</code>", stable);
    }

    [Fact]
    public async Task Home_page_pages_by_twenty()
    {
        await using var host = await FeedAppHost.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 23).Select(i => ReadSideHttp.PushAsync(host, TestPackage.Create($"Contoso.Paged{i:00}", "1.0.0"))));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Paged00", "Contoso.Paged22");

        var first = await PageHttp.GetPageAsync(host, "/packages");
        var second = await PageHttp.GetPageAsync(host, "/packages?q=&skip=20");

        Assert.Equal(20, PageHttp.ResultIds(first).Count);
        Assert.Contains("23 packages (showing 1-20)", first);
        Assert.Contains("<a rel=\"next\" href=\"/packages?q=&amp;skip=20\">", first);
        Assert.Contains("Page 1 of 2", first);
        Assert.Equal(["Contoso.Paged20", "Contoso.Paged21", "Contoso.Paged22"], PageHttp.ResultIds(second));
        Assert.Contains("<a rel=\"prev\" href=\"/packages?q=&amp;skip=0\">", second);
    }

    [Fact]
    public async Task An_empty_feed_says_how_to_push()
    {
        await using var host = await FeedAppHost.StartAsync();

        var home = await PageHttp.GetPageAsync(host, "/");
        var nothing = await PageHttp.GetPageAsync(host, "/packages?q=nothing");

        Assert.Contains("No packages yet", home);
        Assert.Contains($"dotnet nuget push MyLib.1.0.0.nupkg --source {host.BaseUrl}/v3/index.json", home);
        Assert.Contains("No package matches \u201cnothing\u201d.", nothing);
    }

    [Fact]
    public async Task Unknown_ids_versions_and_paths_get_the_html_404_and_protocol_paths_a_plain_one()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.There", "1.0.0"));

        var id = await PageHttp.GetPageAsync(host, "/packages/Contoso.Missing", HttpStatusCode.NotFound);
        var version = await PageHttp.GetPageAsync(host, "/packages/contoso.there/9.9.9", HttpStatusCode.NotFound);
        var badVersion = await PageHttp.GetPageAsync(host, "/packages/contoso.there/not-a-version", HttpStatusCode.NotFound);
        var badId = await PageHttp.GetPageAsync(host, "/packages/..%2F..", HttpStatusCode.NotFound);
        var path = await PageHttp.GetPageAsync(host, "/some/where/else", HttpStatusCode.NotFound);
        using var protocol = await host.Client.GetAsync("/v3/no-such-resource");
        using var api = await host.Client.GetAsync("/api/v2/nothing/here/at/all");
        using var reason = await host.Client.GetAsync("/packages/Contoso.Missing");

        Assert.Contains("There is no package &#x27;Contoso.Missing&#x27; on this feed.", id);
        Assert.Contains("<a href=\"/packages\">Browse all packages</a>", id);
        Assert.Contains("There is no version &#x27;9.9.9&#x27; of &#x27;Contoso.There&#x27; on this feed.", version);
        Assert.Contains("<a href=\"/packages/Contoso.There\">All versions of Contoso.There</a>", version);
        Assert.Contains("Not found", badVersion);
        Assert.Contains("Not found", badId);
        Assert.Contains("There is no page at this address.", path);
        Assert.Equal((HttpStatusCode.NotFound, "text/plain"), (protocol.StatusCode, protocol.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.NotFound, "text/plain"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        Assert.Equal("There is no package 'Contoso.Missing' on this feed.", reason.ReasonPhrase);
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_head_gets_them_without_a_body()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Headers", "1.0.0"));

        foreach (var path in new[] { "/", "/packages", "/packages/Contoso.Headers", "/packages/Contoso.Headers/1.0.0", "/packages/none", "/elsewhere" })
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
            {
                using var response = await host.Client.SendAsync(new HttpRequestMessage(method, path));

                Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(", ", response.Headers.GetValues("Content-Security-Policy")));
                Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
                Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
                Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
                Assert.Equal(method == HttpMethod.Head ? 0 : response.Content.Headers.ContentLength, (await response.Content.ReadAsByteArrayAsync()).Length);
            }
        }

        Assert.Contains("script-src 'self'", SecurityHeaders.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy);
    }

    [Fact]
    public async Task Assets_are_served_with_their_types_and_a_long_cache_and_nothing_else_is()
    {
        await using var host = await FeedAppHost.StartAsync();

        using var css = await host.Client.GetAsync($"/assets/site.css?v={PageAssets.Version}");
        using var js = await host.Client.GetAsync("/assets/site.js");
        using var svg = await host.Client.GetAsync("/assets/package.svg");
        using var missing = await host.Client.GetAsync("/assets/secrets.json");

        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", css.Headers.CacheControl?.ToString());
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
