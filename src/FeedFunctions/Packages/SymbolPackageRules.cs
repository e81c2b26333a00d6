namespace FeedFunctions.Packages;

/// <summary>
/// What a .snupkg may be, after nuget.org's documented symbol package constraints ("NuGet.org symbol package
/// constraints" in learn.microsoft.com/nuget/create-packages/symbol-packages-snupkg: the SymbolsPackage package type,
/// and only .pdb, .nuspec, .xml, .psmdcp, .rels and .p7s files) and its SymbolPackageService, which checks the
/// extensions of PackageArchiveReader.GetFiles(). Here the non-.pdb files are held to the exact places pack and
/// signing put them, so a .xml (or anything else) cannot ride along elsewhere in the package.
/// </summary>
internal static class SymbolPackageRules
{
    public const string SymbolsPackageType = "SymbolsPackage";

    private const string RelationshipsFolder = "_rels/";
    private const string CorePropertiesFolder = "package/services/metadata/core-properties/";

    public static void Check(IReadOnlyList<PackageTypeInfo> packageTypes, PackageContents contents)
    {
        if (!packageTypes.Any(t => t.Name.Equals(SymbolsPackageType, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidPackageException(
                $"This is not a symbol package: its .nuspec must declare the package type '{SymbolsPackageType}' (push .snupkg files here).");
        }

        foreach (var file in contents.Files)
        {
            if (!IsAllowed(file, contents.NuspecPath))
            {
                throw new InvalidPackageException(
                    $"The symbol package contains {ErrorText.Quote(file)}; a .snupkg may hold only .pdb files and the package's metadata files.");
            }
        }
    }

    private static bool IsAllowed(string file, string nuspecPath) =>
        file.EndsWith('/') // a folder entry, which some zip tools write
        || file.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)
        || file == nuspecPath
        || file.Equals("[Content_Types].xml", StringComparison.OrdinalIgnoreCase)
        || file.Equals(".signature.p7s", StringComparison.OrdinalIgnoreCase)
        || IsIn(file, RelationshipsFolder, ".rels")
        || IsIn(file, CorePropertiesFolder, ".psmdcp");

    /// <summary>Directly in the folder (no subfolder) with the extension.</summary>
    private static bool IsIn(string file, string folder, string extension) =>
        file.StartsWith(folder, StringComparison.OrdinalIgnoreCase)
        && file.EndsWith(extension, StringComparison.OrdinalIgnoreCase)
        && file.IndexOf('/', folder.Length) < 0;
}
