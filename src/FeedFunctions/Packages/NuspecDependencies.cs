using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace FeedFunctions.Packages;

/// <summary>
/// Dependency groups as NuGet reads them (<see cref="NuspecReader.GetDependencyGroups(bool)"/>: groups, or the legacy
/// flat list as "any framework"), held to nuget.org's rules for a published package (ManifestValidator): every
/// range parses, no floating ranges or build metadata, valid ids, no id twice in a group, no framework NuGet does not
/// recognize, one group per framework.
/// </summary>
internal static class NuspecDependencies
{
    private const string UnknownFramework = "A dependency group has a target framework NuGet does not recognize.";

    public static IReadOnlyList<PackageDependencyGroup> Read(NuspecReader nuspec, out bool needsSemVer2)
    {
        needsSemVer2 = false;
        var groups = ReadGroups(nuspec);
        var result = new List<PackageDependencyGroup>(groups.Count);
        var frameworks = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in groups)
        {
            var framework = TargetFramework(group.TargetFramework);
            if (!frameworks.Add(framework))
            {
                throw new InvalidPackageException(
                    $"The .nuspec has more than one dependency group for {Describe(framework)}.");
            }

            var dependencies = new List<PackageDependency>();
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var dependency in group.Packages)
            {
                var (mapped, semVer2) = Map(dependency);
                needsSemVer2 |= semVer2;
                if (!ids.Add(mapped.Id))
                {
                    throw new InvalidPackageException(
                        $"The dependency {ErrorText.Quote(mapped.Id)} is listed twice for {Describe(framework)}.");
                }

                dependencies.Add(mapped);
            }

            result.Add(new PackageDependencyGroup(framework, dependencies));
        }

        return result;
    }

    /// <summary>
    /// The strict read is nuget.org's: a version attribute that is missing or does not parse is refused, where the
    /// lenient read (the client's) would silently turn it into "any version". NuGet's message names the dependency
    /// and quotes the text. Identical duplicate dependencies collapse into one, as NuGet reads them.
    /// </summary>
    private static List<NuGet.Packaging.PackageDependencyGroup> ReadGroups(NuspecReader nuspec)
    {
        try
        {
            return nuspec.GetDependencyGroups(useStrictVersionCheck: true).ToList();
        }
        catch (PackagingException exception)
        {
            throw new InvalidPackageException(exception.Message, exception);
        }
        catch (ArgumentException exception) when (exception.ParamName == "id")
        {
            throw new InvalidPackageException("A dependency has no ID.", exception);
        }
        catch (Exception exception) when (NuGetRead.IsBadInput(exception))
        {
            // NuGetFramework.Parse fails on some malformed targetFramework values instead of answering Unsupported.
            throw new InvalidPackageException(UnknownFramework, exception);
        }
    }

    /// <summary>
    /// The short folder name (net8.0, net45), so equivalent spellings (.NETFramework4.5, net45) compare equal, or ""
    /// for any framework. NuGet never selects a group whose framework it does not recognize, and nuget.org refuses it.
    /// </summary>
    private static string TargetFramework(NuGetFramework framework)
    {
        if (framework.IsAny)
        {
            return string.Empty;
        }

        if (framework.IsUnsupported)
        {
            throw new InvalidPackageException(UnknownFramework);
        }

        var name = NuGetRead.Get(framework.GetShortFolderName, _ => UnknownFramework);
        return NuspecText.Text(name, "group targetFramework", NuspecLimits.Other)
            ?? throw new InvalidPackageException(UnknownFramework);
    }

    private static (PackageDependency Dependency, bool NeedsSemVer2) Map(NuGet.Packaging.Core.PackageDependency dependency)
    {
        if (!PackageIdentity.TryValidateDependencyId(dependency.Id, out var error))
        {
            throw new InvalidPackageException(error);
        }

        var range = dependency.VersionRange;
        var text = range.OriginalString ?? range.ToNormalizedString();
        NuspecText.Text(text, "dependency version", NuspecLimits.DependencyVersionRange);

        // Floating ranges (1.0.*) are a project-file feature; nuget.org refuses them in a published package.
        if (range.IsFloating)
        {
            throw new InvalidPackageException(
                $"The dependency {ErrorText.Quote(dependency.Id)} has an invalid version range {ErrorText.Quote(text)}.");
        }

        // Normalization drops build metadata, so keeping it would silently change the range (nuget.org refuses it).
        if (range.MinVersion?.HasMetadata == true || range.MaxVersion?.HasMetadata == true)
        {
            throw new InvalidPackageException(
                $"The dependency {ErrorText.Quote(dependency.Id)} has build metadata in its version range {ErrorText.Quote(text)}.");
        }

        var mapped = new PackageDependency(
            dependency.Id,
            range.ToNormalizedString(),
            Flags(dependency.Include, "dependency include"),
            Flags(dependency.Exclude, "dependency exclude"));
        return (mapped, range.MinVersion?.IsSemVer2 == true || range.MaxVersion?.IsSemVer2 == true);
    }

    /// <summary>NuGet has already split, trimmed, de-duplicated and sorted the flags.</summary>
    private static string? Flags(IReadOnlyList<string> flags, string field) =>
        flags.Count == 0 ? null : NuspecText.Text(string.Join(',', flags), field, NuspecLimits.Other);

    private static string Describe(string framework) =>
        framework.Length == 0 ? "any framework" : ErrorText.Quote(framework);
}
