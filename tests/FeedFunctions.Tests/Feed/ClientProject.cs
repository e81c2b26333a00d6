using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

/// <summary>
/// A minimal project in a subfolder of a <see cref="NuGetCli"/> folder, so it picks up that folder's nuget.config
/// (only the test feed) and its private packages and HTTP cache folders.
/// </summary>
internal sealed class ClientProject
{
    private ClientProject(NuGetCli cli, string folder)
    {
        Cli = cli;
        Folder = folder;
    }

    public NuGetCli Cli { get; }

    public string Folder { get; }

    public string ProjectFile => Path.Combine(Folder, "App.csproj");

    public static ClientProject Create(NuGetCli cli, string packageReferences = "")
    {
        var folder = Path.Combine(cli.Directory, "app");
        Directory.CreateDirectory(folder);
        // No audit: the feed has no vulnerability data and the test should not depend on nuget.org being reachable.
        File.WriteAllText(Path.Combine(folder, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                {packageReferences}
              </ItemGroup>
            </Project>
            """);
        return new ClientProject(cli, folder);
    }

    public Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(args, Folder);

    public string PackagesFolder(string id, string version) =>
        Path.Combine(Cli.Directory, "packages", id.ToLowerInvariant(), version.ToLowerInvariant());

    public string ReadProjectFile() => File.ReadAllText(ProjectFile);

    public string ReadAssets() => File.ReadAllText(Path.Combine(Folder, "obj", "project.assets.json"));
}
