using System.Text.Json.Nodes;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// The SDK's own client through the Functions host with <c>/v3/index.json</c> as the only source. Each client
/// command costs seconds, so each test walks through a whole scenario.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostReadSideTests(SharedHost shared)
{
    [HostFact]
    public async Task Push_add_restore_and_search_with_the_real_client()
    {
        var host = shared.Host;
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var output = Directory.CreateDirectory(Path.Combine(cli.Directory, "out")).FullName;
        void Write(TestPackage package, string extension = "nupkg") =>
            File.WriteAllBytes(Path.Combine(output, $"{package.Id}.{package.Version}.{extension}"), package.ToBytes());
        var dependency = TestPackage.Create("Contoso.E2e.B", "1.0.0").WithDescription("The dependency.");
        Write(dependency);
        Write(TestPackage.Create("Contoso.E2e.A", "1.0.0").WithDependency("net10.0", "Contoso.E2e.B", "1.0.0"));
        Write(TestPackage.Create("Contoso.E2e.A", "1.1.0").WithDependency("net10.0", "Contoso.E2e.B", "[1.0.0, 2.0.0)"));
        Write(TestPackage.Create("Contoso.E2e.A", "2.0.0").WithDependency("net10.0", "Contoso.E2e.B", "1.0.0"));
        Write(TestPackage.Create("Contoso.E2e.A", "3.0.0-beta.1+build.7").WithDependency("net10.0", "Contoso.E2e.B", "1.0.0"));
        Write(TestPackage.Create("Contoso.E2e.Gone", "1.0.0"));
        Write(ReadSideHttp.SymbolPackage("Contoso.E2e.A", "1.1.0"), "snupkg");

        // Through the service index: the client finds PackagePublish and SymbolPackagePublish there.
        var push = await cli.PushAsync(Path.Combine(output, "*.nupkg"), host.ApiKey);
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(output, "Contoso.E2e.A.1.1.0.snupkg")), await FeedHttp.DownloadBlobAsync(host, "contoso.e2e.a/1.1.0/symbols/contoso.e2e.a.1.1.0.snupkg"));
        Assert.Equal(6, (await FeedHttp.AllRowsAsync(host)).Count(r => r.PartitionKey.StartsWith("contoso.e2e.", StringComparison.Ordinal) && !r.RowKey.StartsWith('~')));

        // The flat container's .nuspec is the package's own, byte for byte: read out of the stored .nupkg.
        Assert.Equal(dependency.NuspecBytes, await host.Client.GetByteArrayAsync("/v3/flatcontainer/contoso.e2e.b/1.0.0/contoso.e2e.b.nuspec"));
        var delete = await cli.DeleteAsync("Contoso.E2e.A", "2.0.0", host.ApiKey);
        Assert.True(delete.ExitCode == 0, delete.ToString());
        await ReadSideHttp.UnlistAsync(host, "Contoso.E2e.Gone", "1.0.0");

        // add package without a version takes the latest listed stable version: not unlisted 2.0.0, not the beta.
        var project = ClientProject.Create(cli);
        var add = await project.RunAsync("add", "package", "Contoso.E2e.A");
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("Include=\"Contoso.E2e.A\" Version=\"1.1.0\"", project.ReadProjectFile());
        Assert.True(Directory.Exists(project.PackagesFolder("Contoso.E2e.A", "1.1.0")), add.ToString());
        Assert.True(Directory.Exists(project.PackagesFolder("Contoso.E2e.B", "1.0.0")), add.ToString());
        Assert.Contains("\"Contoso.E2e.B/1.0.0\"", project.ReadAssets());

        // The unlisted version still restores when asked for exactly (a plain restore: add package costs more).
        File.WriteAllText(project.ProjectFile, project.ReadProjectFile().Replace("Version=\"1.1.0\"", "Version=\"2.0.0\"", StringComparison.Ordinal));
        var exact = await project.RunAsync("restore", "--no-http-cache");
        Assert.True(exact.ExitCode == 0, exact.ToString());
        Assert.True(Directory.Exists(project.PackagesFolder("Contoso.E2e.A", "2.0.0")), exact.ToString());
        Assert.Contains("\"Contoso.E2e.A/2.0.0\"", project.ReadAssets());

        await SearchIndexWait.CaughtUpAsync(host, "Contoso.E2e.A", "Contoso.E2e.B", "Contoso.E2e.Gone");
        var search = await project.RunAsync("package", "search", "Contoso.E2e", "--source", NuGetCli.SourceName, "--format", "json");
        var prerelease = await project.RunAsync("package", "search", "Contoso.E2e", "--source", NuGetCli.SourceName, "--format", "json", "--prerelease");
        Assert.True(search.ExitCode == 0, search.ToString());
        var stableVersions = SearchVersions(search.Output);
        Assert.Equal(new Dictionary<string, string> { ["Contoso.E2e.A"] = "1.1.0", ["Contoso.E2e.B"] = "1.0.0" }, stableVersions);
        // The client prints the normalized version (no build metadata).
        Assert.Equal("3.0.0-beta.1", SearchVersions(prerelease.Output)["Contoso.E2e.A"]);
    }

    [HostFact]
    public async Task Symbols_packed_by_dotnet_pack_are_pushed_with_their_package_through_the_service_index()
    {
        var host = shared.Host;
        var package = await PackedPackages.PathAsync("Contoso.Host.Symbols", "1.0.0", symbols: true);
        var symbols = Path.ChangeExtension(package, ".snupkg");
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");

        var push = await cli.PushAsync(package, host.ApiKey);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.True(File.Exists(symbols), "dotnet pack made no .snupkg");
        Assert.NotNull(await FeedHttp.FindAsync(host, "Contoso.Host.Symbols", "1.0.0"));
        Assert.Equal(
            await File.ReadAllBytesAsync(symbols),
            await FeedHttp.DownloadBlobAsync(host, "contoso.host.symbols/1.0.0/symbols/contoso.host.symbols.1.0.0.snupkg"));
    }

    [HostFact]
    public async Task Private_feed_restores_only_with_credentials_from_nuget_config()
    {
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string> { ["Feed__RequireReadAuth"] = "true" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Private", "1.0.0"));
        const string reference = "<PackageReference Include=\"Contoso.Private\" Version=\"1.0.0\" />";
        var source = host.BaseUrl + "/v3/index.json";

        using var anonymousCli = new NuGetCli(source);
        // The client retries a failed service index 6 times a second apart; the outcome is the same, only slower.
        anonymousCli.Environment["NUGET_ENHANCED_NETWORK_RETRY_DELAY_MILLISECONDS"] = "10";
        var anonymous = await ClientProject.Create(anonymousCli, reference).RunAsync("restore", "--no-http-cache");
        using var credentialCli = new NuGetCli(source, $"""
            <packageSourceCredentials>
              <{NuGetCli.SourceName}>
                <add key="Username" value="ci" />
                <add key="ClearTextPassword" value="{host.ApiKey}" />
              </{NuGetCli.SourceName}>
            </packageSourceCredentials>
            """);
        var credentialProject = ClientProject.Create(credentialCli, reference);
        var withCredentials = await credentialProject.RunAsync("restore", "--no-http-cache");

        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("401", anonymous.Output);
        Assert.True(withCredentials.ExitCode == 0, withCredentials.ToString());
        Assert.True(Directory.Exists(credentialProject.PackagesFolder("Contoso.Private", "1.0.0")), withCredentials.ToString());
    }

    /// <summary>id → latest version from <c>dotnet package search --format json</c> (one entry per source).</summary>
    private static Dictionary<string, string> SearchVersions(string output)
    {
        var json = JsonNode.Parse(output[output.IndexOf('{')..])!;
        return json["searchResult"]!.AsArray()
            .SelectMany(source => source!["packages"]!.AsArray())
            .ToDictionary(p => p!["id"]!.GetValue<string>(), p => p!["latestVersion"]!.GetValue<string>());
    }
}
