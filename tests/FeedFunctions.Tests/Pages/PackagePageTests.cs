using System.Net;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Pages;

/// <summary>The package page per id and per version: everything it promises to show, encoded.</summary>
public sealed class PackagePageTests
{
    private static TestPackage Rich(string version) => TestPackage.Create("Contoso.Rich", version)
        .WithAuthors("Jane Doe, John Roe")
        .WithDescription("Rich package.")
        .WithMetadata("tags", "json fast")
        .WithMetadata("projectUrl", "https://contoso.example/rich")
        .WithMetadataXml("<repository type=\"git\" url=\"https://github.com/contoso/rich.git\" />")
        .WithMetadataXml("<license type=\"expression\">MIT OR Apache-2.0</license>")
        .WithMetadata("readme", "README.md").WithFile("README.md", "# Rich\n\nRead **me**.\n\n- [x] done")
        .WithMetadata("icon", "icon.png").WithFile("icon.png", TestImages.Png())
        .WithDependency("net10.0", "Contoso.Base", "[1.0.0, 2.0.0)")
        .WithDependency("netstandard2.0", "Newtonsoft.Json", "13.0.1");

    [Fact]
    public async Task Shows_versions_readme_dependencies_licence_links_types_size_hash_symbols_and_install_snippets()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Base", "1.0.0"));
        await ReadSideHttp.PushAsync(host, Rich("1.0.0"));
        await ReadSideHttp.PushAsync(host, Rich("1.1.0"));
        await ReadSideHttp.PushAsync(host, Rich("2.0.0-beta.1"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Rich", "1.1.0");
        using (var symbols = await ReadSideHttp.PushSymbolsAsync(host, ReadSideHttp.SymbolPackage("Contoso.Rich", "1.0.0").ToBytes(), host.ApiKey))
        {
            Assert.Equal(HttpStatusCode.Created, symbols.StatusCode);
        }

        var page = await PageHttp.GetPageAsync(host, "/packages/contoso.rich");
        var record = await FeedHttp.FindAsync(host, "Contoso.Rich", "1.0.0");

        // /packages/{id} shows what `dotnet add package` would take: the latest listed stable version.
        Assert.Contains("<h1>Contoso.Rich <span class=\"version\">1.0.0</span></h1>", page);
        Assert.Contains("<span class=\"badge latest\">latest</span>", page);
        Assert.Contains("<h1 id=\"rich\">Rich</h1>", page);
        Assert.Contains("Read <strong>me</strong>.", page);
        Assert.Contains("<h3>net10.0</h3>", page);
        Assert.Contains("<a href=\"/packages/Contoso.Base\">Contoso.Base</a> <span class=\"version\">(&gt;= 1.0.0 &amp;&amp; &lt; 2.0.0)</span>", page);
        Assert.Contains("<h3>netstandard2.0</h3>", page);
        Assert.Contains("<a href=\"https://licenses.nuget.org/MIT%20OR%20Apache-2.0\" rel=\"nofollow noopener noreferrer\">MIT OR Apache-2.0</a>", page);
        Assert.Contains("<a href=\"https://contoso.example/rich\" rel=\"nofollow noopener noreferrer\">", page);
        Assert.Contains("https://github.com/contoso/rich.git</a>", page);
        Assert.Contains("<dt>Package types</dt><dd>Dependency</dd>", page);
        Assert.Contains("Symbol package (.snupkg) available", page);
        Assert.Contains($"<dd class=\"hash\">{WebUtility.HtmlEncode(record!.Sha512).Replace("+", "&#x2B;", StringComparison.Ordinal)}</dd>", page);
        Assert.Contains("<dt>Size</dt><dd>", page);
        Assert.Contains("dotnet add package Contoso.Rich --version 1.0.0", page);
        Assert.Contains("&lt;PackageReference Include=&quot;Contoso.Rich&quot; Version=&quot;1.0.0&quot; /&gt;", page);
        Assert.Contains("#:package Contoso.Rich@1.0.0", page);
        Assert.Contains("&lt;PackageVersion Include=&quot;Contoso.Rich&quot; Version=&quot;1.0.0&quot; /&gt;", page);
        Assert.Contains("href=\"/v3/flatcontainer/contoso.rich/1.0.0/contoso.rich.1.0.0.nupkg\" download>Download package</a>", page);
        Assert.Contains("<img class=\"icon large\" src=\"/v3/flatcontainer/contoso.rich/1.0.0/icon\"", page);
        Assert.Contains("<a href=\"/packages/Contoso.Rich/1.1.0\">1.1.0</a> <span class=\"badge unlisted\">unlisted</span>", page);
        Assert.Contains("<a href=\"/packages/Contoso.Rich/2.0.0-beta.1\">2.0.0-beta.1</a> <span class=\"badge prerelease\">prerelease</span>", page);
        Assert.True(page.IndexOf("2.0.0-beta.1</a>", StringComparison.Ordinal) < page.IndexOf(">1.0.0</a>", StringComparison.Ordinal), "versions are listed newest first");
    }

    [Fact]
    public async Task A_version_page_marks_unlisted_and_prerelease_and_says_what_is_absent()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Bare", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Bare", "2.0.0-beta"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Bare", "1.0.0");

        var unlisted = await PageHttp.GetPageAsync(host, "/packages/Contoso.Bare/1.0");
        var beta = await PageHttp.GetPageAsync(host, "/packages/Contoso.Bare/2.0.0-BETA");
        var byId = await PageHttp.GetPageAsync(host, "/packages/Contoso.Bare");

        Assert.Contains("<p class=\"notice\">This version is unlisted", unlisted);
        Assert.Contains("This package has no readme.", unlisted);
        Assert.Contains("This package has no dependencies.", unlisted);
        Assert.Contains("No symbol package", unlisted);
        Assert.Contains("<dt>License</dt><dd>Not stated</dd>", unlisted);
        Assert.Contains("src=\"/assets/package.svg", unlisted);
        Assert.Contains("<h1>Contoso.Bare <span class=\"version\">2.0.0-beta</span></h1>", beta);
        Assert.Contains("<div class=\"badges\"> <span class=\"badge latest\">latest</span> <span class=\"badge prerelease\">prerelease</span></div>", beta);

        // Every stable version unlisted: the id's page falls back to the latest listed prerelease.
        Assert.Contains("<h1>Contoso.Bare <span class=\"version\">2.0.0-beta</span></h1>", byId);
    }

    [Fact]
    public async Task Every_value_from_the_package_is_html_encoded()
    {
        await using var host = await FeedAppHost.StartAsync();
        const string evil = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Evil", "1.0.0")
            .WithAuthors(evil)
            .WithDescription(evil)
            .WithMetadata("title", evil)
            .WithMetadata("tags", "<b>bold</b> \"quoted\"")
            .WithMetadata("copyright", evil)
            .WithMetadata("projectUrl", "https://contoso.example/\"><script>alert(3)</script>")
            .WithMetadataXml("<repository type=\"git\" url=\"javascript:alert(4)\" />")
            .WithMetadata("readme", "README.md").WithFile("README.md", evil + "\n\n[x](javascript:alert(5))"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Evil");

        var home = await PageHttp.GetPageAsync(host, "/");
        var page = await PageHttp.GetPageAsync(host, "/packages/Contoso.Evil/1.0.0");

        foreach (var html in new[] { home, page })
        {
            Assert.DoesNotContain("<script>alert", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.DoesNotContain("<b>bold", html);
            Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("<dt>Source repository</dt><dd>javascript:alert(4)</dd>", page);
    }
}
