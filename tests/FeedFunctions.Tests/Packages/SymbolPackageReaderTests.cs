using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Packages;

/// <summary>A .snupkg is read by the rules for symbol packages, not by those for a .nupkg.</summary>
public sealed class SymbolPackageReaderTests
{
    private const string SymbolsType = "<packageTypes><packageType name=\"SymbolsPackage\" /></packageTypes>";

    // What pack and signing put in a .snupkg besides the .pdb files; pack writes no authors into its nuspec.
    [Fact]
    public async Task Reads_a_symbol_package_without_authors_or_description()
    {
        var metadata = await ReadAsync(Symbols()
            .WithAuthors(null)
            .WithDescription(null)
            .WithFile("[Content_Types].xml", "<Types />")
            .WithFile("_rels/.rels", "<Relationships />")
            .WithFile("package/services/metadata/core-properties/0123abcd.psmdcp", "<coreProperties />")
            .WithFile(".signature.p7s", [0x30])
            .WithFile("lib/netstandard2.0/", [])
            .WithFile("lib/netstandard2.0/Contoso.Sym.PDB", "pdb")
            .ToBytes());

        Assert.Equal("Contoso.Sym", metadata.Id);
        Assert.Equal("1.0.0-beta", metadata.NormalizedVersion);
        Assert.Empty(metadata.Authors);
        Assert.Equal([new PackageTypeInfo("SymbolsPackage", null)], metadata.PackageTypes);
    }

    [Theory]
    [InlineData("lib/net10.0/Contoso.Sym.dll")]
    [InlineData("lib/net10.0/Contoso.Sym.xml")]
    [InlineData("README.md")]
    [InlineData("content/Other.nuspec")]
    [InlineData("_rels/sub/.rels")]
    [InlineData("package/services/metadata/core-properties/extra.xml")]
    [InlineData("lib/.signature.p7s")]
    public Task Files_other_than_pdbs_and_package_metadata_are_rejected(string entryName) =>
        AssertInvalidAsync(
            Symbols().WithFile(entryName, "x").ToBytes(),
            "The symbol package contains '*'; a .snupkg may hold only .pdb files and the package's metadata files.");

    [Fact]
    public Task Package_without_the_SymbolsPackage_type_is_rejected() =>
        AssertInvalidAsync(
            TestPackage.Create("Contoso.Sym", "1.0.0").WithFile("lib/net10.0/Contoso.Sym.pdb", "pdb").ToBytes(),
            "This is not a symbol package: its .nuspec must declare the package type 'SymbolsPackage' (push .snupkg files here).");

    [Theory]
    [InlineData("Bad..Id", "1.0.0", "The package ID 'Bad..Id' is invalid: *")]
    [InlineData("Contoso.Sym", "1.0.0-", "The version '1.0.0-' is not a valid NuGet version.")]
    [InlineData("$id$", "1.0.0", "The <id> contains the unreplaced token '$id$'.")]
    public Task Id_and_version_rules_still_apply(string id, string version, string expected) =>
        AssertInvalidAsync(Symbols(id, version).ToBytes(), expected);

    [Fact]
    public Task Zip_and_nuspec_guards_still_apply() =>
        Task.WhenAll(
            AssertInvalidAsync(Symbols().WithSecondNuspec().ToBytes(), "The package contains more than one .nuspec file."),
            AssertInvalidAsync(Symbols().WithFile("lib/../evil.pdb", "x").ToBytes(), "The package contains an invalid entry name '*'"),
            AssertInvalidAsync(
                Symbols().WithRawNuspec("<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY e \"x\">]><package />").ToBytes(),
                "The .nuspec is not valid XML (line *"));

    private static TestPackage Symbols(string id = "Contoso.Sym", string version = "1.0.0-beta") =>
        TestPackage.Create(id, version).WithMetadataXml(SymbolsType).WithFile($"lib/net10.0/Contoso.Sym.pdb", "pdb");

    private static Task<PackageMetadata> ReadAsync(byte[] package) =>
        PackageReader.ReadSymbolPackageAsync(new MemoryStream(package, writable: false));

    private static async Task AssertInvalidAsync(byte[] package, string expected)
    {
        var exception = await Assert.ThrowsAsync<InvalidPackageException>(() => ReadAsync(package));

        Assert.Matches("^" + string.Join(".*", expected.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)), exception.Message);
    }
}
