using System.Xml.Linq;
using NuGet.Frameworks;
using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>
/// Reads <c>&lt;dependencies&gt;</c> in both shapes: <c>&lt;group targetFramework&gt;</c> elements, or (legacy)
/// bare <c>&lt;dependency&gt;</c> elements meaning "any framework". As in NuGet's NuspecReader, bare dependencies
/// are ignored when any group is present.
/// </summary>
internal static class NuspecDependencies
{
    public static IReadOnlyList<PackageDependencyGroup> Read(XElement metadata, out bool needsSemVer2)
    {
        needsSemVer2 = false;
        var dependencies = NuspecFields.Child(metadata, "dependencies");
        if (dependencies is null)
        {
            return [];
        }

        var groupElements = NuspecFields.Children(dependencies, "group").ToList();
        if (groupElements.Count == 0)
        {
            var flat = NuspecFields.Children(dependencies, "dependency").ToList();
            return flat.Count == 0 ? [] : [ReadGroup(string.Empty, flat, ref needsSemVer2)];
        }

        var groups = new List<PackageDependencyGroup>(groupElements.Count);
        var frameworks = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in groupElements)
        {
            var framework = TargetFramework(NuspecFields.Attribute(element, "targetFramework", NuspecLimits.Other));
            if (!frameworks.Add(framework))
            {
                throw new InvalidPackageException(
                    $"The .nuspec has more than one dependency group for {Describe(framework)}.");
            }

            groups.Add(ReadGroup(framework, NuspecFields.Children(element, "dependency"), ref needsSemVer2));
        }

        return groups;
    }

    /// <summary>
    /// Short folder name for known frameworks so equivalent spellings (<c>.NETFramework4.5</c>, <c>net45</c>)
    /// compare equal; NuGet keeps groups for frameworks it does not know, so we keep their original text.
    /// </summary>
    private static string TargetFramework(string? text)
    {
        if (text is null)
        {
            return string.Empty;
        }

        NuGetFramework framework;
        try
        {
            framework = NuGetFramework.Parse(text);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidPackageException($"The target framework {ErrorText.Quote(text)} is invalid.", exception);
        }

        if (framework.IsAny)
        {
            return string.Empty;
        }

        if (framework.IsUnsupported)
        {
            return text;
        }

        try
        {
            return framework.GetShortFolderName();
        }
        catch (FrameworkException)
        {
            return text;
        }
    }

    private static PackageDependencyGroup ReadGroup(string framework, IEnumerable<XElement> elements, ref bool needsSemVer2)
    {
        var dependencies = new List<PackageDependency>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in elements)
        {
            var dependency = ReadDependency(element, out var semVer2);
            needsSemVer2 |= semVer2;
            if (!ids.Add(dependency.Id))
            {
                throw new InvalidPackageException(
                    $"The dependency {ErrorText.Quote(dependency.Id)} is listed twice for {Describe(framework)}.");
            }

            dependencies.Add(dependency);
        }

        return new PackageDependencyGroup(framework, dependencies);
    }

    private static PackageDependency ReadDependency(XElement element, out bool needsSemVer2)
    {
        var id = NuspecFields.Attribute(element, "id", NuspecLimits.Other);
        if (!PackageIdentity.TryValidateDependencyId(id, out var error))
        {
            throw new InvalidPackageException(error);
        }

        var range = Range(id, NuspecFields.Attribute(element, "version", NuspecLimits.DependencyVersionRange));
        needsSemVer2 = range.MinVersion?.IsSemVer2 == true || range.MaxVersion?.IsSemVer2 == true;
        return new PackageDependency(
            id,
            range.ToNormalizedString(),
            NuspecFields.Attribute(element, "include", NuspecLimits.Other),
            NuspecFields.Attribute(element, "exclude", NuspecLimits.Other));
    }

    private static VersionRange Range(string id, string? text)
    {
        if (text is null)
        {
            return VersionRange.All;
        }

        // Floating ranges (1.0.*) are a project-file feature; nuget.org refuses them in a published package.
        if (!VersionRange.TryParse(text, allowFloating: false, out var range))
        {
            throw new InvalidPackageException(
                $"The dependency {ErrorText.Quote(id)} has an invalid version range {ErrorText.Quote(text)}.");
        }

        // Normalization drops build metadata, so keeping it would silently change the range (nuget.org refuses it).
        if (range.MinVersion?.HasMetadata == true || range.MaxVersion?.HasMetadata == true)
        {
            throw new InvalidPackageException(
                $"The dependency {ErrorText.Quote(id)} has build metadata in its version range {ErrorText.Quote(text)}.");
        }

        return range;
    }

    private static string Describe(string framework) =>
        framework.Length == 0 ? "any framework" : ErrorText.Quote(framework);
}
