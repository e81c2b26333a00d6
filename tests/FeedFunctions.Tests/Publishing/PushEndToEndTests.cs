using System.Net;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Publishing;

/// <summary>The real <c>dotnet nuget</c> client against the real app and Azurite, with a package from <c>dotnet pack</c>.</summary>
public sealed class PushEndToEndTests
{
    [Fact]
    public async Task Push_to_the_v2_url_stores_the_exact_bytes_and_lists_the_package()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.PushUrl);
        var package = await PackedPackages.PathAsync();

        var result = await cli.PushAsync(package, host.ApiKey);
        var record = await FeedHttp.FindAsync(host, PackedPackages.Id, PackedPackages.Version);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Your package was pushed", result.Output);
        Assert.NotNull(record);
        Assert.True(record.Listed);
        Assert.Equal(PackedPackages.Id, record.Id);
        Assert.Equal(await File.ReadAllBytesAsync(package), await FeedHttp.DownloadBlobAsync(host, record.BlobName));
    }

    [Fact]
    public async Task Push_to_the_root_url_uses_the_api_v2_package_endpoint()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.BaseUrl);

        var result = await cli.PushAsync(await PackedPackages.PathAsync(), host.ApiKey);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotNull(await FeedHttp.FindAsync(host, PackedPackages.Id, PackedPackages.Version));
    }

    [Fact]
    public async Task Second_push_fails_with_409_and_skip_duplicate_succeeds()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.PushUrl);
        var package = await PackedPackages.PathAsync();
        Assert.Equal(0, (await cli.PushAsync(package, host.ApiKey)).ExitCode);

        var duplicate = await cli.PushAsync(package, host.ApiKey);
        var skipped = await cli.PushAsync(package, host.ApiKey, "--skip-duplicate");

        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("409", duplicate.Output);
        Assert.Contains("already exists", duplicate.Output);
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Single(await FeedHttp.AllRowsAsync(host));
    }

    [Fact]
    public async Task Wrong_key_fails_with_403_and_stores_nothing()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.PushUrl);

        var result = await cli.PushAsync(await PackedPackages.PathAsync(), "not-the-key");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("403", result.Output);
        Assert.Empty(await FeedHttp.AllRowsAsync(host));
        Assert.Empty(await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task Delete_unlists_and_post_relists_with_mixed_case_id_and_short_version()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.PushUrl);
        Assert.Equal(0, (await cli.PushAsync(await PackedPackages.PathAsync(), host.ApiKey)).ExitCode);

        var delete = await cli.DeleteAsync("CONTOSO.packed", "1.2", host.ApiKey);
        var afterDelete = await FeedHttp.FindAsync(host, PackedPackages.Id, PackedPackages.Version);
        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/contoso.PACKED/1.2.0.0", host.ApiKey);
        var afterRelist = await FeedHttp.FindAsync(host, PackedPackages.Id, PackedPackages.Version);
        using var relistAgain = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Packed/1.2.0", host.ApiKey);

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.False(afterDelete!.Listed);
        Assert.Equal(HttpStatusCode.OK, relist.StatusCode);
        Assert.True(afterRelist!.Listed);
        Assert.Equal(HttpStatusCode.OK, relistAgain.StatusCode);
    }

    [Fact]
    public async Task Delete_and_relist_of_an_absent_package_give_404()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.PushUrl);

        var delete = await cli.DeleteAsync("Contoso.Missing", "1.0.0", host.ApiKey);
        using var relist = await FeedHttp.SendAsync(host, HttpMethod.Post, "/api/v2/package/Contoso.Missing/1.0.0", host.ApiKey);
        using var unlist = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Missing/1.0.0", host.ApiKey);

        Assert.NotEqual(0, delete.ExitCode);
        Assert.Contains("404", delete.Output);
        Assert.Equal(HttpStatusCode.NotFound, relist.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unlist.StatusCode);
    }
}
