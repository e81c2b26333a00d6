namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Real packages made by <c>dotnet pack</c> once per test run (packing takes seconds), for the end-to-end tests
/// that must push what the SDK produces rather than what our own test builder makes.
/// </summary>
public static class PackedPackages
{
    private static readonly Lazy<Task<string>> Folder = new(() => PackAsync());

    private static readonly Lazy<Task<string>> SymbolsFolder =
        new(() => PackAsync("-p:IncludeSymbols=true", "-p:SymbolPackageFormat=snupkg"));

    public const string Id = "Contoso.Packed";

    public const string Version = "1.2.0";

    public static async Task<string> PathAsync() => System.IO.Path.Combine(await Folder.Value, $"{Id}.{Version}.nupkg");

    /// <summary>
    /// The same project packed with symbols as a .snupkg: the .nupkg and, beside it, the .snupkg that
    /// <c>dotnet nuget push</c> sends right after the .nupkg. Its own folder, so pushing <see cref="PathAsync"/>
    /// never sends symbols.
    /// </summary>
    public static async Task<(string Package, string Symbols)> WithSymbolsAsync()
    {
        var folder = await SymbolsFolder.Value;
        return (System.IO.Path.Combine(folder, $"{Id}.{Version}.nupkg"), System.IO.Path.Combine(folder, $"{Id}.{Version}.snupkg"));
    }

    /// <summary>Each variant packs its own copy of the project: two packs of one folder at once would share obj/.</summary>
    private static async Task<string> PackAsync(params string[] properties)
    {
        var root = Directory.CreateTempSubdirectory("feed-pack-").FullName;
        var project = System.IO.Path.Combine(root, "src");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(System.IO.Path.Combine(project, "Contoso.Packed.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>{Id}</PackageId>
                <Version>{Version}</Version>
                <Authors>Contoso</Authors>
                <Description>A package made by dotnet pack for the feed's end-to-end tests.</Description>
                <PackageTags>contoso sample</PackageTags>
                <GenerateDocumentationFile>false</GenerateDocumentationFile>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(System.IO.Path.Combine(project, "Greeter.cs"), "namespace Contoso.Packed; public static class Greeter { public static string Hello() => \"hi\"; }");
        using var cli = new NuGetCli("http://127.0.0.1:9/v3/index.json");
        var output = System.IO.Path.Combine(root, "out");
        var result = await cli.RunAsync(["pack", project, "-c", "Release", "-o", output, .. properties], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + result);
        }

        return output;
    }
}
