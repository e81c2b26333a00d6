using NuGet.Packaging;

namespace FeedFunctions.Packages;

/// <summary>
/// What <see cref="PackageArchive"/> took from a package: its file names as NuGet reads them (entry names
/// unescaped, as <c>PackageArchiveReader.GetFiles</c> returns them), and its .nuspec, as NuGet's reader.
/// </summary>
internal sealed record PackageContents(IReadOnlyList<string> Files, string NuspecPath, NuspecReader Nuspec);
