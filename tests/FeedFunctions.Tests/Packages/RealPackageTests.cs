using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Packages;

/// <summary>
/// Packages made by real tools read as the NuGet client reads them: signed packages as nuget.org serves them (old
/// and new nuspec schemas, escaped entry names, .signature.p7s), and what <c>dotnet pack</c> makes.
/// </summary>
public sealed class RealPackageTests
{
    /// <summary>A copy of nuget.org packages in the global-packages layout ({id}/{version}/{id}.{version}.nupkg), on every machine and on CI.</summary>
    private const string NuGetOrgPackages = "/opt/nuget/packages";

    [Fact]
    public async Task Every_nuget_org_package_on_the_machine_is_read_with_its_folder_id_and_version()
    {
        var packages = Directory.GetFiles(NuGetOrgPackages, "*.nupkg", SearchOption.AllDirectories);
        Assert.NotEmpty(packages);

        var failures = new List<string>();
        foreach (var path in packages)
        {
            var versionFolder = Path.GetFileName(Path.GetDirectoryName(path)!);
            var idFolder = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))!);
            try
            {
                await using var stream = File.OpenRead(path);
                var metadata = await PackageReader.ReadAsync(stream);
                if (metadata.LowerId != idFolder || metadata.LowerVersion != versionFolder)
                {
                    failures.Add($"{path}: read as {metadata.LowerId} {metadata.LowerVersion}");
                }
            }
            catch (InvalidPackageException ex)
            {
                failures.Add($"{path}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {packages.Length} packages:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task Packages_made_by_dotnet_pack_are_read()
    {
        var plain = await PackedPackages.PathAsync();
        var (package, symbols) = await PackedPackages.WithSymbolsAsync();

        foreach (var path in new[] { plain, package })
        {
            await using var stream = File.OpenRead(path);
            var metadata = await PackageReader.ReadAsync(stream);

            Assert.Equal((PackedPackages.Id, PackedPackages.Version), (metadata.Id, metadata.NormalizedVersion));
            Assert.Equal(["Contoso"], metadata.Authors);
            Assert.Equal(["contoso", "sample"], metadata.Tags);
            Assert.Equal("net10.0", Assert.Single(metadata.DependencyGroups).TargetFramework);
        }

        await using var snupkg = File.OpenRead(symbols);
        var symbolMetadata = await PackageReader.ReadSymbolPackageAsync(snupkg);
        Assert.Equal((PackedPackages.Id, PackedPackages.Version), (symbolMetadata.Id, symbolMetadata.NormalizedVersion));
        Assert.Equal("SymbolsPackage", Assert.Single(symbolMetadata.PackageTypes).Name);
    }
}
