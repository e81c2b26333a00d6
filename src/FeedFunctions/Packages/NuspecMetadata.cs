using NuGet.Packaging;

namespace FeedFunctions.Packages;

/// <summary>
/// Maps what NuGet's <see cref="NuspecReader"/> reads from a package to <see cref="PackageMetadata"/>, applying the
/// feed's policy on top (nuget.org's limits and rules). Every value comes from NuspecReader; nothing here walks XML.
/// </summary>
internal static class NuspecMetadata
{
    public static PackageMetadata ReadPackage(PackageContents contents)
    {
        var nuspec = contents.Nuspec;
        var (id, version) = NuspecIdentity.Read(nuspec);

        var authors = NuspecText.List(NuspecText.Required(nuspec.GetAuthors(), "authors", NuspecLimits.Other), commaOnly: true);
        var description = NuspecText.Required(nuspec.GetDescription(), "description", NuspecLimits.Description);
        var title = NuspecText.Text(nuspec.GetTitle(), "title", NuspecLimits.Title);
        NuspecText.RejectReplacementToken("authors", string.Join(',', authors));
        NuspecText.RejectReplacementToken("description", description);
        NuspecText.RejectReplacementToken("title", title);
        if (authors.Count == 0)
        {
            throw new InvalidPackageException("The .nuspec is missing the required <authors> element.");
        }

        var dependencyGroups = NuspecDependencies.Read(nuspec, out var dependenciesNeedSemVer2);
        return new PackageMetadata
        {
            Id = id,
            Version = version,
            IsSemVer2 = version.IsSemVer2 || dependenciesNeedSemVer2,
            Authors = authors,
            Owners = NuspecText.List(NuspecText.Text(nuspec.GetOwners(), "owners", NuspecLimits.Other), commaOnly: true),
            Title = title,
            Description = description,
            Summary = NuspecText.Text(nuspec.GetSummary(), "summary", NuspecLimits.Summary),
            Tags = NuspecText.List(NuspecText.Text(nuspec.GetTags(), "tags", NuspecLimits.Tags), commaOnly: false),
            ProjectUrl = NuspecText.Url(nuspec.GetProjectUrl(), "projectUrl"),
            LicenseUrl = NuspecText.Url(nuspec.GetLicenseUrl(), "licenseUrl"),
            License = NuspecLicense.Read(nuspec, contents.Files),
            IconUrl = NuspecText.Url(nuspec.GetIconUrl(), "iconUrl"),
            IconPath = NuspecFiles.FindOptional(contents.Files, "icon", nuspec.GetIcon()),
            ReadmePath = NuspecFiles.FindOptional(contents.Files, "readme", nuspec.GetReadme()),
            ReleaseNotes = NuspecText.Text(nuspec.GetReleaseNotes(), "releaseNotes", NuspecLimits.ReleaseNotes),
            Copyright = NuspecText.Text(nuspec.GetCopyright(), "copyright", NuspecLimits.Copyright),
            Language = NuspecText.Text(nuspec.GetLanguage(), "language", NuspecLimits.Other),
            RequireLicenseAcceptance = NuspecFlags.RequireLicenseAcceptance(nuspec),
            DevelopmentDependency = NuspecFlags.DevelopmentDependency(nuspec),
            Serviceable = NuspecFlags.Serviceable(nuspec),
            MinClientVersion = NuGetRead.Get(nuspec.GetMinClientVersion, _ => "The minClientVersion is not a valid version."),
            Repository = ReadRepository(nuspec),
            PackageTypes = ReadPackageTypes(nuspec),
            DependencyGroups = dependencyGroups,
        };
    }

    /// <summary>
    /// A .snupkg by the rules for symbol packages: the identity of a package on the feed, the SymbolsPackage type and
    /// only symbol files. Pack leaves out authors and owners (nuget.org even refuses them there, as personal data
    /// that belongs to the .nupkg), so nothing but id and version is required of the rest of its metadata.
    /// </summary>
    public static PackageMetadata ReadSymbolPackage(PackageContents contents)
    {
        var nuspec = contents.Nuspec;
        var (id, version) = NuspecIdentity.Read(nuspec);
        var packageTypes = ReadPackageTypes(nuspec);
        SymbolPackageRules.Check(packageTypes, contents);
        return new PackageMetadata
        {
            Id = id,
            Version = version,
            IsSemVer2 = version.IsSemVer2,
            Authors = [],
            Description = nuspec.GetDescription().Trim(),
            PackageTypes = packageTypes,
        };
    }

    /// <summary>Only a length limit on url: git remotes such as git@host:org/repo.git are legitimate but not http(s).</summary>
    private static PackageRepository? ReadRepository(NuspecReader nuspec)
    {
        var metadata = NuGetRead.Get(nuspec.GetRepositoryMetadata, _ => "The <repository> cannot be read by NuGet.");
        var repository = new PackageRepository(
            NuspecText.Text(metadata.Type, "repository type", NuspecLimits.RepositoryType),
            NuspecText.Text(metadata.Url, "repository url", NuspecLimits.RepositoryUrl),
            NuspecText.Text(metadata.Branch, "repository branch", NuspecLimits.Other),
            NuspecText.Text(metadata.Commit, "repository commit", NuspecLimits.Other));
        return repository is { Type: null, Url: null, Branch: null, Commit: null } ? null : repository;
    }

    /// <summary>NuGet refuses a type without a name or with a version System.Version cannot parse; its reason is clear.</summary>
    private static IReadOnlyList<PackageTypeInfo> ReadPackageTypes(NuspecReader nuspec)
    {
        var types = NuGetRead.Get(nuspec.GetPackageTypes, exception => exception.Message);
        return types
            .Select(type => new PackageTypeInfo(
                NuspecText.Required(type.Name, "packageType name", NuspecLimits.Other),

                // NuGet substitutes the same EmptyVersion instance when the attribute is absent.
                ReferenceEquals(type.Version, NuGet.Packaging.Core.PackageType.EmptyVersion) ? null : type.Version.ToString()))
            .ToList();
    }
}
