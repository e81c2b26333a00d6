using System.Net;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using NuGet.Common;
using NuGet.Protocol;
using NuGet.Protocol.Core.Types;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// The package browser and the readme/icon routes through the real Functions host: the host's route order leaves
/// <c>/</c> and unknown paths to the catch-all page and every real route to its own function; and NuGet's own client
/// library (what Visual Studio uses) finds the icon and readme URLs.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostPagesTests(SharedHost shared)
{
    [HostFact]
    public async Task Root_is_the_home_page_and_every_route_still_reaches_its_own_function()
    {
        var host = shared.Host;
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.HostPage", "1.0.0").WithDescription("On the host."));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.HostPage");

        using var root = await host.Client.GetAsync("/");
        using var packagePage = await host.Client.GetAsync("/packages/Contoso.HostPage");
        using var page = await host.Client.GetAsync("/no/such/page");
        using var protocol = await host.Client.GetAsync("/v3/no-such-resource");
        using var api = await host.Client.GetAsync("/api/no-such-route");
        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/index.json");
        var search = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=Contoso.HostPage");
        var autocomplete = await ReadSideHttp.GetJsonAsync(host, "/v3/autocomplete?q=Contoso.HostPage");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("text/html", root.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Contoso.HostPage", await root.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, packagePage.StatusCode);
        Assert.Contains("On the host.", await packagePage.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode.NotFound, "text/html"), (page.StatusCode, page.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.NotFound, "text/plain"), (protocol.StatusCode, protocol.Content.Headers.ContentType?.MediaType));
        Assert.Equal((HttpStatusCode.NotFound, "text/plain"), (api.StatusCode, api.Content.Headers.ContentType?.MediaType));
        Assert.Equal("3.0.0", index["version"]!.GetValue<string>());
        Assert.Equal(1, search["totalHits"]!.GetValue<int>());
        Assert.Equal(["Contoso.HostPage"], ReadSideHttp.Strings(autocomplete["data"]));
    }

    [HostFact]
    public async Task NuGets_client_library_finds_the_icon_and_readme_through_the_service_index()
    {
        var host = shared.Host;
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.HostReadme", "1.0.0")
            .WithMetadata("readme", "README.md").WithFile("README.md", "# From the host")
            .WithMetadata("icon", "icon.png").WithFile("icon.png", TestImages.Png()));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.HostReadme");
        var repository = Repository.Factory.GetCoreV3(host.BaseUrl + "/v3/index.json");
        using var cache = new SourceCacheContext { NoCache = true };

        var metadataResource = await repository.GetResourceAsync<PackageMetadataResource>();
        var metadata = Assert.Single(await metadataResource!.GetMetadataAsync("Contoso.HostReadme", true, true, cache, NullLogger.Instance, CancellationToken.None));
        var searchResource = await repository.GetResourceAsync<PackageSearchResource>();
        var found = Assert.Single(await searchResource!.SearchAsync("Contoso.HostReadme", new SearchFilter(includePrerelease: true), 0, 10, NullLogger.Instance, CancellationToken.None));
        using var readme = await host.Client.GetAsync(metadata.ReadmeUrl);
        using var icon = await host.Client.GetAsync(metadata.IconUrl);

        var iconUrl = host.BaseUrl + "/v3/flatcontainer/contoso.hostreadme/1.0.0/icon";
        Assert.Equal(iconUrl, metadata.IconUrl?.ToString());
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/contoso.hostreadme/1.0.0/readme", metadata.ReadmeUrl?.ToString());
        Assert.Equal(iconUrl, found.IconUrl?.ToString());
        Assert.Equal("# From the host", await readme.Content.ReadAsStringAsync());
        Assert.Equal("image/png", icon.Content.Headers.ContentType?.MediaType);
    }
}
