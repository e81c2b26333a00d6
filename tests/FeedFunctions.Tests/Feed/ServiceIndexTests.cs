using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

public sealed class ServiceIndexTests
{
    private static Dictionary<string, string> Resources(JsonObject index)
    {
        Assert.Equal("3.0.0", index["version"]!.GetValue<string>());
        return index["resources"]!.AsArray().ToDictionary(r => r!["@type"]!.GetValue<string>(), r => r!["@id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lists_every_type_the_client_looks_up_with_absolute_urls_from_the_request()
    {
        await using var host = await FeedAppHost.StartAsync();

        var resources = Resources(await ReadSideHttp.GetJsonAsync(host, "/v3/index.json"));

        var b = host.BaseUrl;
        Assert.Equal(b + "/api/v2/package", resources["PackagePublish/2.0.0"]);
        Assert.Equal(b + "/api/v2/symbolpackage", resources["SymbolPackagePublish/4.9.0"]);
        Assert.Equal(b + "/v3/flatcontainer/", resources["PackageBaseAddress/3.0.0"]);
        foreach (var type in new[] { "RegistrationsBaseUrl", "RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl/3.0.0-rc", "RegistrationsBaseUrl/3.0.0-beta" })
        {
            Assert.Equal(b + "/v3/registration/", resources[type]);
        }

        foreach (var type in new[] { "SearchQueryService", "SearchQueryService/3.0.0-beta", "SearchQueryService/3.4.0", "SearchQueryService/3.5.0" })
        {
            Assert.Equal(b + "/v3/search", resources[type]);
        }

        foreach (var type in new[] { "SearchAutocompleteService", "SearchAutocompleteService/3.0.0-beta", "SearchAutocompleteService/3.5.0" })
        {
            Assert.Equal(b + "/v3/autocomplete", resources[type]);
        }
    }

    [Fact]
    public async Task Honours_the_forwarded_headers_of_the_functions_host_proxy()
    {
        await using var host = await FeedAppHost.StartAsync();

        var resources = Resources(await ReadSideHttp.GetJsonAsync(host, "/v3/index.json",
            ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "feed.example.com"), ("X-Forwarded-Prefix", "/nuget/")));
        var hostile = Resources(await ReadSideHttp.GetJsonAsync(host, "/v3/index.json",
            ("X-Forwarded-Proto", "javascript"), ("X-Forwarded-Host", "evil.example/path?"), ("X-Forwarded-Prefix", "//evil")));

        Assert.Equal("https://feed.example.com/nuget/v3/flatcontainer/", resources["PackageBaseAddress/3.0.0"]);
        Assert.Equal("https://feed.example.com/nuget/api/v2/package", resources["PackagePublish/2.0.0"]);
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/", hostile["PackageBaseAddress/3.0.0"]);
    }

    [Fact]
    public async Task Public_base_url_wins_over_the_request_and_reaches_registration_links()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:PublicBaseUrl"] = "https://packages.contoso.com/feed/" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Base", "1.0.0"));

        var resources = Resources(await ReadSideHttp.GetJsonAsync(host, "/v3/index.json", ("X-Forwarded-Host", "other.example.com")));
        var registration = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.base/index.json");

        Assert.Equal("https://packages.contoso.com/feed/v3/registration/", resources["RegistrationsBaseUrl/3.6.0"]);
        var leaf = registration["items"]![0]!["items"]![0]!;
        Assert.Equal("https://packages.contoso.com/feed/v3/flatcontainer/contoso.base/1.0.0/contoso.base.1.0.0.nupkg", leaf["packageContent"]!.GetValue<string>());
    }
}
