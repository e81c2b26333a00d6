using System.Net;
using Azure.Data.Tables;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

/// <summary>Readme and icon in the protocol: stored at push beside the package, served by the flat container, linked everywhere.</summary>
public sealed class EmbeddedFileRouteTests
{
    private const string Readme = "# Contoso.Embedded\n\nHello.";

    private static TestPackage WithReadmeAndIcon(string id, string version, byte[]? icon = null) =>
        TestPackage.Create(id, version)
            .WithMetadata("readme", "docs/README.md").WithFile("docs/README.md", Readme)
            .WithMetadata("icon", "images/icon.png").WithFile("images/icon.png", icon ?? TestImages.Png())
            .WithMetadata("iconUrl", "https://contoso.example/old-icon.png");

    [Fact]
    public async Task Push_stores_readme_and_icon_as_blobs_of_its_own_folder_and_the_flat_container_serves_them()
    {
        await using var host = await FeedAppHost.StartAsync();
        var png = TestImages.Png();
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Embedded", "1.0.0", png));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Plain", "1.0.0"));

        var record = await FeedHttp.FindAsync(host, "Contoso.Embedded", "1.0.0");
        var folder = record!.BlobName[..record.BlobName.LastIndexOf('/')];
        using var readme = await host.Client.GetAsync("/v3/flatcontainer/contoso.embedded/1.0.0/readme");
        using var icon = await host.Client.GetAsync("/v3/flatcontainer/Contoso.Embedded/1.0/icon");
        using var noReadme = await host.Client.GetAsync("/v3/flatcontainer/contoso.plain/1.0.0/readme");
        using var noIcon = await host.Client.GetAsync("/v3/flatcontainer/contoso.plain/1.0.0/icon");
        using var noPackage = await host.Client.GetAsync("/v3/flatcontainer/contoso.none/1.0.0/readme");

        Assert.Equal(folder + "/readme", record.ReadmeBlobName);
        Assert.Equal(folder + "/icon", record.IconBlobName);
        Assert.Equal("image/png", record.IconContentType);
        Assert.Equal(HttpStatusCode.OK, readme.StatusCode);
        Assert.Equal(Readme, await readme.Content.ReadAsStringAsync());
        Assert.Equal("text/markdown", readme.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["nosniff"], readme.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal(png, await icon.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", icon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["nosniff"], icon.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal("public, max-age=3600", icon.Headers.CacheControl?.ToString());
        Assert.Equal((HttpStatusCode.NotFound, "Package 'Contoso.Plain' version '1.0.0' has no readme."), (noReadme.StatusCode, noReadme.ReasonPhrase));
        Assert.Equal((HttpStatusCode.NotFound, "Package 'Contoso.Plain' version '1.0.0' has no embedded icon."), (noIcon.StatusCode, noIcon.ReasonPhrase));
        Assert.Equal(HttpStatusCode.NotFound, noPackage.StatusCode);
        // The .nupkg, its readme and its icon (the .nuspec is read out of the package).
        Assert.Equal(3, (await FeedHttp.AllBlobsAsync(host)).Count(b => b.StartsWith("contoso.embedded/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Registration_search_and_the_service_index_point_at_the_readme_and_icon()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Linked", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.External", "1.0.0").WithMetadata("iconUrl", "https://contoso.example/icon.png"));
        await SearchIndexWait.CaughtUpAsync(host, "Contoso.Linked", "Contoso.External");

        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/index.json");
        var leaf = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.linked/1.0.0.json");
        var external = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.external/1.0.0.json");
        var search = await ReadSideHttp.GetJsonAsync(host, "/v3/search?q=contoso");

        var template = index["resources"]!.AsArray().Single(r => r!["@type"]!.GetValue<string>() == "ReadmeUriTemplate/6.13.0")!;
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/{lower_id}/{lower_version}/readme", template["@id"]!.GetValue<string>());
        var entry = leaf["catalogEntry"]!;
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/contoso.linked/1.0.0/icon", entry["iconUrl"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/contoso.linked/1.0.0/readme", entry["readmeUrl"]!.GetValue<string>());
        Assert.Equal("https://contoso.example/icon.png", external["catalogEntry"]!["iconUrl"]!.GetValue<string>());
        Assert.Null(external["catalogEntry"]!["readmeUrl"]);
        var icons = search["data"]!.AsArray().ToDictionary(d => d!["id"]!.GetValue<string>(), d => d!["iconUrl"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/flatcontainer/contoso.linked/1.0.0/icon", icons["Contoso.Linked"]);
        Assert.Equal("https://contoso.example/icon.png", icons["Contoso.External"]);
    }

    [Fact]
    public async Task An_oversized_readme_refuses_the_push_and_leaves_nothing()
    {
        await using var host = await FeedAppHost.StartAsync();
        var package = TestPackage.Create("Contoso.BigReadme", "1.0.0").WithMetadata("readme", "README.md").WithFile("README.md", new string('#', 1024 * 1024 + 1));

        using var push = await FeedHttp.PushAsync(host, package.ToBytes());

        Assert.Equal(HttpStatusCode.BadRequest, push.StatusCode);
        Assert.Equal("The readme exceeds 1048576 bytes.", push.ReasonPhrase);
        Assert.Empty(await FeedHttp.AllRowsAsync(host));
        Assert.Empty(await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task Hard_delete_and_overwrite_remove_the_readme_and_icon_blobs_too()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?>
        {
            ["Feed:DeleteMode"] = "HardDelete",
            ["Feed:AllowOverwrite"] = "True",
        });
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Gone", "1.0.0"));
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Again", "1.0.0"));
        var first = await FeedHttp.FindAsync(host, "Contoso.Again", "1.0.0");
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Again", "1.0.0", TestImages.Png(16, 16)));

        using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Gone/1.0.0", host.ApiKey);
        var second = await FeedHttp.FindAsync(host, "Contoso.Again", "1.0.0");

        // The overwritten package's blobs are deleted just after the overwrite's response.
        var blobs = await Poll.UntilAsync(
            () => FeedHttp.AllBlobsAsync(host), names => names.Count <= second!.BlobNames.Count(), what: "the overwritten package's blobs to be deleted");
        var snapshot = await FeedInvariants.ReadAsync(host.Storage);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.DoesNotContain(blobs, b => b.StartsWith("contoso.gone/", StringComparison.Ordinal));
        Assert.Equal(second!.BlobNames.Order(), blobs.Order());
        Assert.NotEqual(first!.IconBlobName, second.IconBlobName);
        Assert.Empty(snapshot.Violations);
        Assert.Equal(0, snapshot.UnreferencedBlobs);
    }

    [Fact]
    public async Task A_row_from_before_readmes_were_stored_still_serves_everything_else()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, WithReadmeAndIcon("Contoso.Old", "1.0.0"));

        // What a push before this change wrote: no readme or icon columns.
        var row = (await host.Storage.PackagesTable.GetEntityAsync<TableEntity>("contoso.old", "1.0.0")).Value;
        row.Remove("ReadmeBlobName");
        row.Remove("IconBlobName");
        row.Remove("IconContentType");
        await host.Storage.PackagesTable.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        using var readme = await host.Client.GetAsync("/v3/flatcontainer/contoso.old/1.0.0/readme");
        using var page = await host.Client.GetAsync("/packages/Contoso.Old/1.0.0");
        var leaf = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.old/1.0.0.json");

        Assert.Equal(HttpStatusCode.NotFound, readme.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("This package has no readme.", await page.Content.ReadAsStringAsync());
        Assert.Null(leaf["catalogEntry"]!["readmeUrl"]);
        Assert.Equal("https://contoso.example/old-icon.png", leaf["catalogEntry"]!["iconUrl"]!.GetValue<string>());
    }
}
