using System.Net;
using System.Security.Cryptography;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.OnHost;

/// <summary>The publish API through the Functions host, with the SDK's own <c>dotnet nuget</c> client where it has a command.</summary>
[Collection(HostCollection.Name)]
public sealed class HostPublishTests(SharedHost shared)
{
    private FunctionsHost Host => shared.Host;

    [HostFact]
    public async Task The_client_pushes_to_the_v2_url_the_root_url_and_through_the_service_index()
    {
        var packed = await PackedPackages.PathAsync("Contoso.Host.V2", "1.0.0");
        var folder = Directory.CreateTempSubdirectory("feed-host-").FullName;
        var viaRoot = Path.Combine(folder, "Contoso.Host.Root.1.0.0.nupkg");
        var viaIndex = Path.Combine(folder, "Contoso.Host.Index.1.0.0.nupkg");
        await File.WriteAllBytesAsync(viaRoot, TestPackage.Create("Contoso.Host.Root", "1.0.0").ToBytes());
        await File.WriteAllBytesAsync(viaIndex, TestPackage.Create("Contoso.Host.Index", "1.0.0").ToBytes());

        CliResult v2, root, index;
        using (var cli = new NuGetCli(Host.PushUrl))
        {
            v2 = await cli.PushAsync(packed, Host.ApiKey);
        }

        using (var cli = new NuGetCli(Host.BaseUrl))
        {
            root = await cli.PushAsync(viaRoot, Host.ApiKey);
        }

        using (var cli = new NuGetCli(Host.BaseUrl + "/v3/index.json"))
        {
            index = await cli.PushAsync(viaIndex, Host.ApiKey);
        }

        foreach (var (result, id, file) in new[] { (v2, "Contoso.Host.V2", packed), (root, "Contoso.Host.Root", viaRoot), (index, "Contoso.Host.Index", viaIndex) })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("Your package was pushed", result.Output);
            var record = await FeedHttp.FindAsync(Host, id, "1.0.0");
            Assert.NotNull(record);
            Assert.True(record.Listed);
            Assert.Equal(await File.ReadAllBytesAsync(file), await FeedHttp.DownloadBlobAsync(Host, record.BlobName));
        }
    }

    [HostFact]
    public async Task A_second_push_gets_409_with_its_reason_skip_duplicate_passes_and_a_wrong_key_gets_403()
    {
        var package = await PackedPackages.PathAsync("Contoso.Host.Dup", "1.0.0");
        using var cli = new NuGetCli(Host.PushUrl);
        Assert.Equal(0, (await cli.PushAsync(package, Host.ApiKey)).ExitCode);

        var duplicate = await cli.PushAsync(package, Host.ApiKey);
        var skipped = await cli.PushAsync(package, Host.ApiKey, "--skip-duplicate");
        var wrongKey = await cli.PushAsync(await PackedPackages.PathAsync("Contoso.Host.WrongKey", "1.0.0"), "not-the-key");

        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("409", duplicate.Output);
        Assert.Contains("already exists", duplicate.Output);
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.NotEqual(0, wrongKey.ExitCode);
        Assert.Contains("403", wrongKey.Output);
        Assert.Null(await FeedHttp.FindAsync(Host, "Contoso.Host.WrongKey", "1.0.0"));
    }

    [HostFact]
    public async Task Delete_unlists_and_post_relists_with_mixed_case_id_and_short_version_and_absent_ones_are_404()
    {
        using var cli = new NuGetCli(Host.PushUrl);
        Assert.Equal(0, (await cli.PushAsync(await PackedPackages.PathAsync("Contoso.Host.Listing", "1.2.0"), Host.ApiKey)).ExitCode);

        var delete = await cli.DeleteAsync("CONTOSO.host.LISTING", "1.2", Host.ApiKey);
        var afterDelete = await FeedHttp.FindAsync(Host, "Contoso.Host.Listing", "1.2.0");
        using var relist = await FeedHttp.SendAsync(Host, HttpMethod.Post, "/api/v2/package/contoso.HOST.listing/1.2.0.0", Host.ApiKey);
        var afterRelist = await FeedHttp.FindAsync(Host, "Contoso.Host.Listing", "1.2.0");
        using var relistAgain = await FeedHttp.SendAsync(Host, HttpMethod.Post, "/api/v2/package/Contoso.Host.Listing/1.2.0", Host.ApiKey);
        var absent = await cli.DeleteAsync("Contoso.Host.Missing", "1.0.0", Host.ApiKey);
        using var relistAbsent = await FeedHttp.SendAsync(Host, HttpMethod.Post, "/api/v2/package/Contoso.Host.Missing/1.0.0", Host.ApiKey);

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.False(afterDelete!.Listed);
        Assert.Equal(HttpStatusCode.OK, relist.StatusCode);
        Assert.True(afterRelist!.Listed);
        Assert.Equal(HttpStatusCode.OK, relistAgain.StatusCode);
        Assert.NotEqual(0, absent.ExitCode);
        Assert.Contains("404", absent.Output);
        Assert.Equal(HttpStatusCode.NotFound, relistAbsent.StatusCode);
    }

    [HostFact]
    public async Task Concurrent_pushes_of_one_version_through_the_host_give_exactly_one_201()
    {
        var bytes = Enumerable.Range(0, 20).Select(i => TestPackage.Create("Contoso.Host.Race", "1.0.0").WithDescription($"Contender {i}.").ToBytes()).ToArray();

        var statuses = await Task.WhenAll(bytes.Select(async b =>
        {
            using var response = await FeedHttp.PushAsync(Host, b);
            return response.StatusCode;
        }));
        var record = await FeedHttp.FindAsync(Host, "Contoso.Host.Race", "1.0.0");

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(19, statuses.Count(s => s == HttpStatusCode.Conflict));
        Assert.Contains(bytes, b => Convert.ToBase64String(SHA512.HashData(b)) == record!.Sha512);
        Assert.Equal(record!.Sha512, Convert.ToBase64String(SHA512.HashData(await FeedHttp.DownloadBlobAsync(Host, record.BlobName))));
    }

    [HostFact]
    public async Task A_150_MB_push_streams_through_the_host_and_one_over_the_limit_gets_413_with_its_reason()
    {
        var folder = Directory.CreateTempSubdirectory("feed-host-large-");
        try
        {
            var large = Path.Combine(folder.FullName, "Contoso.Host.Large.1.0.0.nupkg");
            var tooLarge = Path.Combine(folder.FullName, "Contoso.Host.TooLarge.1.0.0.nupkg");
            await File.WriteAllBytesAsync(large, TestPackage.Create("Contoso.Host.Large", "1.0.0").WithFile("content/payload.bin", RandomNumberGenerator.GetBytes(150_000_000)).ToBytes());
            await File.WriteAllBytesAsync(tooLarge, TestPackage.Create("Contoso.Host.TooLarge", "1.0.0")
                .WithFile("content/payload.bin", RandomNumberGenerator.GetBytes((int)SharedHost.MaxPackageSizeBytes + 1024 * 1024)).ToBytes());
            using var cli = new NuGetCli(Host.PushUrl);

            var accepted = await cli.PushAsync(large, Host.ApiKey);
            var refused = await cli.PushAsync(tooLarge, Host.ApiKey);
            var record = await FeedHttp.FindAsync(Host, "Contoso.Host.Large", "1.0.0");

            Assert.True(accepted.ExitCode == 0, accepted.ToString());
            Assert.Equal(new FileInfo(large).Length, record!.Size);
            Assert.Equal(Convert.ToBase64String(SHA512.HashData(await File.ReadAllBytesAsync(large))), record.Sha512);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("413", refused.Output);
            Assert.Contains($"exceeds the size limit of {SharedHost.MaxPackageSizeBytes} bytes", refused.Output);
            Assert.Null(await FeedHttp.FindAsync(Host, "Contoso.Host.TooLarge", "1.0.0"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
