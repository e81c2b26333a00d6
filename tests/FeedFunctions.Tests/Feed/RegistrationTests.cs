using System.Net;
using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Index_inlines_leaves_in_version_order_with_listed_flags_and_dependency_groups()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Reg", "2.0.0")
            .WithDependency("net8.0", "Contoso.Dep", "[1.0.0, 2.0.0)")
            .WithDependency(null, "Contoso.Any", "1.0.0")
            .WithMetadata("tags", "alpha beta")
            .WithMetadataXml("<license type=\"expression\">MIT</license>"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Reg", "10.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Reg", "3.0.0-beta.1+sha.abc"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Reg", "10.0.0");

        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/CONTOSO.REG/index.json");
        var (missing, _) = await ReadSideHttp.TryGetJsonAsync(host, "/v3/registration/contoso.none/index.json");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(host.BaseUrl + "/v3/registration/contoso.reg/index.json", index["@id"]!.GetValue<string>());
        var page = Assert.Single(index["items"]!.AsArray())!;
        Assert.Equal("2.0.0", page["lower"]!.GetValue<string>());
        Assert.Equal("10.0.0", page["upper"]!.GetValue<string>());
        Assert.Equal(3, page["count"]!.GetValue<int>());
        var entries = page["items"]!.AsArray().Select(l => l!["catalogEntry"]!).ToList();
        Assert.Equal(["2.0.0", "3.0.0-beta.1+sha.abc", "10.0.0"], entries.Select(e => e["version"]!.GetValue<string>()));
        Assert.Equal([true, true, false], entries.Select(e => e["listed"]!.GetValue<bool>()));
        Assert.All(entries, e => Assert.Equal("Contoso.Reg", e["id"]!.GetValue<string>()));
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/contoso.reg/3.0.0-beta.1/contoso.reg.3.0.0-beta.1.nupkg",
            page["items"]![1]!["packageContent"]!.GetValue<string>());

        var first = entries[0];
        Assert.Equal("MIT", first["licenseExpression"]!.GetValue<string>());
        Assert.Equal(["alpha", "beta"], ReadSideHttp.Strings(first["tags"]));
        Assert.Equal("Contoso", first["authors"]!.GetValue<string>());
        var groups = first["dependencyGroups"]!.AsArray().Select(g => g!.AsObject()).ToList();
        Assert.All(groups, g => Assert.Equal("PackageDependencyGroup", g["@type"]!.GetValue<string>()));
        var net8 = Assert.Single(groups, g => g["targetFramework"]?.GetValue<string>() == "net8.0");
        var dependency = Assert.Single(net8["dependencies"]!.AsArray())!;
        Assert.Equal("Contoso.Dep", dependency["id"]!.GetValue<string>());
        Assert.Equal("[1.0.0, 2.0.0)", dependency["range"]!.GetValue<string>());
        Assert.Equal("PackageDependency", dependency["@type"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/registration/contoso.dep/index.json", dependency["registration"]!.GetValue<string>());
        var anyGroup = Assert.Single(groups, g => g["targetFramework"] is null);
        Assert.Equal("Contoso.Any", anyGroup["dependencies"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Leaf_document_carries_listed_and_the_catalog_entry()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Leaf", "1.0.0-Alpha"));
        await ReadSideHttp.UnlistAsync(host, "Contoso.Leaf", "1.0.0-alpha");

        var leaf = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.leaf/1.0.0-alpha.json");
        var (missing, _) = await ReadSideHttp.TryGetJsonAsync(host, "/v3/registration/contoso.leaf/2.0.0.json");

        Assert.False(leaf["listed"]!.GetValue<bool>());
        Assert.False(leaf["catalogEntry"]!["listed"]!.GetValue<bool>());
        Assert.Equal("1.0.0-Alpha", leaf["catalogEntry"]!["version"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/registration/contoso.leaf/index.json", leaf["registration"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task More_than_128_versions_are_linked_pages_of_64_that_the_page_route_serves()
    {
        await using var host = await FeedAppHost.StartAsync();
        var versions = Enumerable.Range(1, 130).Select(i => $"1.0.{i}").ToList();
        await Parallel.ForEachAsync(versions, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (version, _) =>
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Many", version)));

        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.many/index.json");

        var pages = index["items"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.Equal(3, index["count"]!.GetValue<int>());
        Assert.Equal([64, 64, 2], pages.Select(p => p["count"]!.GetValue<int>()));
        Assert.All(pages, p => Assert.Null(p["items"]));
        Assert.Equal(["1.0.1", "1.0.65", "1.0.129"], pages.Select(p => p["lower"]!.GetValue<string>()));
        Assert.Equal(["1.0.64", "1.0.128", "1.0.130"], pages.Select(p => p["upper"]!.GetValue<string>()));

        var fetched = new List<string>();
        foreach (var page in pages)
        {
            var document = await ReadSideHttp.GetJsonAsync(host, page["@id"]!.GetValue<string>());
            Assert.Equal(page["lower"]!.GetValue<string>(), document["lower"]!.GetValue<string>());
            fetched.AddRange(document["items"]!.AsArray().Select(l => l!["catalogEntry"]!["version"]!.GetValue<string>()));
        }

        Assert.Equal(versions, fetched);
    }
}
