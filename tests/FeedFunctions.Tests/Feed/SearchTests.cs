using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

public sealed class SearchTests
{
    private static async Task<FeedAppHost> SeededHostAsync()
    {
        var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search", "1.0.0").WithMetadata("tags", "json parser"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search", "1.1.0-beta").WithMetadata("tags", "json parser"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search", "2.0.0-rc.1+build").WithMetadata("tags", "json parser"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Search.Extras", "1.0.0").WithDescription("Helpers for the search library."));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Fabrikam.Titled", "3.0.0").WithMetadata("title", "Contoso Search Companion"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Hidden", "1.0.0"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Hidden", "1.0.0");
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Tool", "1.0.0").WithMetadataXml("<packageTypes><packageType name=\"DotnetTool\" /></packageTypes>"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Search", "Contoso.Search.Extras", "Fabrikam.Titled", "Contoso.Hidden", "Contoso.Tool");
        return host;
    }

    private static List<string> Ids(JsonObject result) => result["data"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Filters_unlisted_prerelease_and_semver2_and_ranks_id_matches_first()
    {
        await using var host = await SeededHostAsync();

        var stable = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=contoso");
        var prerelease = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=Contoso.Search&prerelease=true");
        var semver2 = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=Contoso.Search&prerelease=true&semVerLevel=2.0.0");
        var all = await ReadSideHttp.GetJsonAsync(host, "/v3/search?take=50");

        Assert.Equal(["Contoso.Search", "Contoso.Search.Extras", "Contoso.Tool", "Fabrikam.Titled"], Ids(stable));
        Assert.Equal(4, stable["totalHits"]!.GetValue<int>());
        var first = stable["data"]![0]!;
        Assert.Equal("1.0.0", first["version"]!.GetValue<string>());
        Assert.Equal(["1.0.0"], first["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>()));
        Assert.Equal(host.BaseUrl + "/v3/registration/contoso.search/1.0.0.json", first["versions"]![0]!["@id"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/registration/contoso.search/index.json", first["registration"]!.GetValue<string>());
        Assert.Equal(["json", "parser"], ReadSideHttp.Strings(first["tags"]));
        Assert.Equal(["Contoso"], ReadSideHttp.Strings(first["authors"]));
        Assert.Equal(0, first["totalDownloads"]!.GetValue<int>());
        Assert.False(first["verified"]!.GetValue<bool>());
        Assert.Equal("Dependency", first["packageTypes"]![0]!["name"]!.GetValue<string>());

        Assert.Equal("1.1.0-beta", prerelease["data"]![0]!["version"]!.GetValue<string>());
        Assert.Equal("2.0.0-rc.1+build", semver2["data"]![0]!["version"]!.GetValue<string>());
        Assert.Equal(3, semver2["data"]![0]!["versions"]!.AsArray().Count);
        Assert.DoesNotContain("Contoso.Hidden", Ids(all));
        Assert.Equal(4, all["totalHits"]!.GetValue<int>());
    }

    [Fact]
    public async Task Matches_tags_description_title_exact_id_and_package_type_and_pages()
    {
        await using var host = await SeededHostAsync();

        var byTag = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=PARSER");
        var byDescription = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=helpers");
        var byTitle = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=companion");
        var allTerms = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=json%20missingword");
        var exact = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=packageid:contoso.search");
        var exactHidden = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=id:Contoso.Hidden");
        var tools = await ReadSideHttp.GetJsonAsync(host, "/v3/search?packageTypeFilter=DotnetTool");
        var toolsByDocName = await ReadSideHttp.GetJsonAsync(host, "/v3/search?packageType=dotnettool");
        var page = await ReadSideHttp.GetJsonAsync(host, "/v3/search?skip=1&take=2");
        var past = await ReadSideHttp.GetJsonAsync(host, "/v3/search?skip=10");
        var clamped = await ReadSideHttp.GetJsonAsync(host, "/v3/search?take=100000&skip=-4");

        Assert.Equal(["Contoso.Search"], Ids(byTag));
        Assert.Equal(["Contoso.Search.Extras"], Ids(byDescription));
        Assert.Equal(["Fabrikam.Titled"], Ids(byTitle));
        Assert.Empty(Ids(allTerms));
        Assert.Equal(["Contoso.Search"], Ids(exact));
        Assert.Empty(Ids(exactHidden));
        Assert.Equal(["Contoso.Tool"], Ids(tools));
        Assert.Equal(["Contoso.Tool"], Ids(toolsByDocName));
        Assert.Equal(["Contoso.Search.Extras", "Contoso.Tool"], Ids(page));
        Assert.Equal(4, page["totalHits"]!.GetValue<int>());
        Assert.Empty(Ids(past));
        Assert.Equal(4, past["totalHits"]!.GetValue<int>());
        Assert.Equal(4, Ids(clamped).Count);
    }

    [Fact]
    public async Task Autocomplete_lists_visible_ids_and_versions()
    {
        await using var host = await SeededHostAsync();

        var ids = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?q=search");
        var prefixFirst = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?q=contoso.s&take=1");
        var versions = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?id=CONTOSO.SEARCH&prerelease=true");
        var allVersions = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?id=contoso.search&prerelease=true&semVerLevel=2.0.0");
        var hidden = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?id=contoso.hidden");

        Assert.Equal(["Contoso.Search", "Contoso.Search.Extras"], ReadSideHttp.Strings(ids["data"]));
        Assert.Equal(["Contoso.Search"], ReadSideHttp.Strings(prefixFirst["data"]));
        Assert.Equal(2, prefixFirst["totalHits"]!.GetValue<int>());
        Assert.Equal(["1.0.0", "1.1.0-beta"], ReadSideHttp.Strings(versions["data"]));
        Assert.Equal(["1.0.0", "1.1.0-beta", "2.0.0-rc.1"], ReadSideHttp.Strings(allVersions["data"]));
        Assert.Empty(ReadSideHttp.Strings(hidden["data"]));
    }
}
