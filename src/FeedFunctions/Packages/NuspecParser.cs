using System.Xml.Linq;
using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>Turns a nuspec's <c>metadata</c> element into validated <see cref="PackageMetadata"/>.</summary>
internal static class NuspecParser
{
    public static PackageMetadata Parse(byte[] nuspecBytes, IReadOnlyCollection<string> entryNames)
    {
        var metadata = NuspecXml.LoadMetadata(nuspecBytes);

        var id = NuspecFields.Text(metadata, "id", NuspecLimits.Other);
        NuspecFields.RejectReplacementToken("id", id);
        if (!PackageIdentity.TryValidateId(id, out var idError))
        {
            throw new InvalidPackageException(idError);
        }

        var versionText = NuspecFields.Text(metadata, "version", NuspecLimits.Other);
        NuspecFields.RejectReplacementToken("version", versionText);
        if (!PackageIdentity.TryParseVersion(versionText, out var version, out var versionError))
        {
            throw new InvalidPackageException(versionError);
        }

        var authors = NuspecFields.List(NuspecFields.Required(metadata, "authors", NuspecLimits.Other), commaOnly: true);
        var description = NuspecFields.Required(metadata, "description", NuspecLimits.Description);
        var title = NuspecFields.Text(metadata, "title", NuspecLimits.Title);
        NuspecFields.RejectReplacementToken("authors", string.Join(',', authors));
        NuspecFields.RejectReplacementToken("description", description);
        NuspecFields.RejectReplacementToken("title", title);
        if (authors.Count == 0)
        {
            throw new InvalidPackageException("The .nuspec is missing the required <authors> element.");
        }

        var dependencyGroups = NuspecDependencies.Read(metadata, out var dependenciesNeedSemVer2);
        return new PackageMetadata
        {
            Id = id,
            Version = version,
            IsSemVer2 = version.IsSemVer2 || dependenciesNeedSemVer2,
            Authors = authors,
            Owners = NuspecFields.List(NuspecFields.Text(metadata, "owners", NuspecLimits.Other), commaOnly: true),
            Title = title,
            Description = description,
            Summary = NuspecFields.Text(metadata, "summary", NuspecLimits.Summary),
            Tags = NuspecFields.List(NuspecFields.Text(metadata, "tags", NuspecLimits.Tags), commaOnly: false),
            ProjectUrl = NuspecFields.Url(metadata, "projectUrl"),
            LicenseUrl = NuspecFields.Url(metadata, "licenseUrl"),
            License = ReadLicense(metadata, entryNames),
            IconUrl = NuspecFields.Url(metadata, "iconUrl"),
            IconPath = ReadEmbeddedFile(metadata, "icon", entryNames),
            ReadmePath = ReadEmbeddedFile(metadata, "readme", entryNames),
            ReleaseNotes = NuspecFields.Text(metadata, "releaseNotes", NuspecLimits.ReleaseNotes),
            Copyright = NuspecFields.Text(metadata, "copyright", NuspecLimits.Copyright),
            Language = NuspecFields.Text(metadata, "language", NuspecLimits.Other),
            RequireLicenseAcceptance = NuspecFields.Flag(metadata, "requireLicenseAcceptance"),
            DevelopmentDependency = NuspecFields.Flag(metadata, "developmentDependency"),
            Serviceable = NuspecFields.Flag(metadata, "serviceable"),
            MinClientVersion = ReadMinClientVersion(metadata),
            Repository = ReadRepository(metadata),
            PackageTypes = ReadPackageTypes(metadata),
            DependencyGroups = dependencyGroups,
            NuspecBytes = nuspecBytes,
        };
    }

    private static PackageLicense? ReadLicense(XElement metadata, IReadOnlyCollection<string> entryNames)
    {
        var element = NuspecFields.Child(metadata, "license");
        var value = NuspecFields.Text(metadata, "license", NuspecLimits.Other);
        if (element is null || value is null)
        {
            return null;
        }

        var typeText = NuspecFields.Attribute(element, "type", NuspecLimits.Other);
        if (!Enum.TryParse<PackageLicenseType>(typeText, ignoreCase: true, out var type) || !Enum.IsDefined(type))
        {
            throw new InvalidPackageException(
                $"The <license> type {ErrorText.Quote(typeText)} is invalid; use 'expression' or 'file'.");
        }

        var versionText = NuspecFields.Attribute(element, "version", NuspecLimits.Other);
        if (versionText is not null && !NuGetVersion.TryParse(versionText, out _))
        {
            throw new InvalidPackageException($"The <license> version {ErrorText.Quote(versionText)} is invalid.");
        }

        if (type == PackageLicenseType.File)
        {
            value = FindEntry("license", value, entryNames);
        }

        return new PackageLicense(type, value, versionText);
    }

    private static string? ReadEmbeddedFile(XElement metadata, string name, IReadOnlyCollection<string> entryNames)
    {
        var path = NuspecFields.Text(metadata, name, NuspecLimits.Other);
        return path is null ? null : FindEntry(name, path, entryNames);
    }

    private static string FindEntry(string field, string path, IReadOnlyCollection<string> entryNames) =>
        ZipEntryNames.FindEntry(entryNames, path) ?? throw new InvalidPackageException(
            $"The <{field}> file {ErrorText.Quote(path)} does not exist in the package.");

    /// <summary>minClientVersion is an attribute of metadata; NuGet refuses to install a package it cannot parse.</summary>
    private static NuGetVersion? ReadMinClientVersion(XElement metadata)
    {
        var text = NuspecFields.Attribute(metadata, "minClientVersion", NuspecLimits.Other);
        if (text is null)
        {
            return null;
        }

        return NuGetVersion.TryParse(text, out var version)
            ? version
            : throw new InvalidPackageException($"The minClientVersion {ErrorText.Quote(text)} is not a valid version.");
    }

    private static PackageRepository? ReadRepository(XElement metadata)
    {
        var element = NuspecFields.Child(metadata, "repository");
        if (element is null)
        {
            return null;
        }

        // Only a length limit on url: git remotes such as git@host:org/repo.git are legitimate but not http(s).
        var repository = new PackageRepository(
            NuspecFields.Attribute(element, "type", NuspecLimits.RepositoryType),
            NuspecFields.Attribute(element, "url", NuspecLimits.RepositoryUrl),
            NuspecFields.Attribute(element, "branch", NuspecLimits.Other),
            NuspecFields.Attribute(element, "commit", NuspecLimits.Other));
        return repository is { Type: null, Url: null, Branch: null, Commit: null } ? null : repository;
    }

    private static IReadOnlyList<PackageTypeInfo> ReadPackageTypes(XElement metadata)
    {
        var types = new List<PackageTypeInfo>();
        foreach (var element in NuspecFields.Children(NuspecFields.Child(metadata, "packageTypes"), "packageType"))
        {
            var name = NuspecFields.Attribute(element, "name", NuspecLimits.Other)
                ?? throw new InvalidPackageException("A <packageType> has no name.");
            var version = NuspecFields.Attribute(element, "version", NuspecLimits.Other);

            // NuGet parses package type versions with System.Version, not NuGetVersion.
            if (version is not null && !Version.TryParse(version, out _))
            {
                throw new InvalidPackageException(
                    $"The package type {ErrorText.Quote(name)} has an invalid version {ErrorText.Quote(version)}.");
            }

            types.Add(new PackageTypeInfo(name, version));
        }

        return types;
    }
}
