namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Real packages made by <c>dotnet pack</c> once per test run (packing takes seconds), for the end-to-end tests
/// that must push what the SDK produces rather than what our own test builder makes.
/// </summary>
public static class PackedPackages
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Id, string Version, bool Symbols), Lazy<Task<string>>> Folders = new();

    public const string Id = "Contoso.Packed";

    public const string Version = "1.2.0";

    /// <summary>The .nupkg of <paramref name="id"/> (packed once per run); with symbols, a .snupkg lies beside it.</summary>
    public static async Task<string> PathAsync(string id = Id, string version = Version, bool symbols = false)
    {
        var folder = await Folders.GetOrAdd((id, version, symbols), key => new Lazy<Task<string>>(() => PackAsync(key.Id, key.Version, key.Symbols))).Value;
        return System.IO.Path.Combine(folder, $"{id}.{version}.nupkg");
    }

    /// <summary>The default package packed with symbols: the .nupkg and, beside it, the .snupkg <c>dotnet nuget push</c> sends after it.</summary>
    public static async Task<(string Package, string Symbols)> WithSymbolsAsync()
    {
        var package = await PathAsync(symbols: true);
        return (package, System.IO.Path.ChangeExtension(package, ".snupkg"));
    }

    private static async Task<string> PackAsync(string id, string version, bool symbols)
    {
        var root = Directory.CreateTempSubdirectory("feed-pack-").FullName;
        var project = System.IO.Path.Combine(root, "src");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(System.IO.Path.Combine(project, $"{id}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PackageId>{id}</PackageId>
                <Version>{version}</Version>
                <IncludeSymbols>{symbols}</IncludeSymbols>
                <SymbolPackageFormat>snupkg</SymbolPackageFormat>
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
        var result = await cli.RunAsync(["pack", project, "-c", "Release", "-o", output], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + result);
        }

        return output;
    }
}
