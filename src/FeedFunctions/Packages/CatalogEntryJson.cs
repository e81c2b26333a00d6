using System.Text.Json.Nodes;

namespace FeedFunctions.Packages;

/// <summary>
/// The registration catalogEntry for a version, computed once at push time from the .nuspec. The read side adds
/// the parts that change or depend on the request (@id URLs, listed, published, packageContent).
/// </summary>
public static class CatalogEntryJson
{
    /// <summary>Table string properties hold 32K UTF-16 characters; leave room for the rest of the row.</summary>
    public const int MaxLength = 30_000;

    public static string Create(PackageMetadata metadata)
    {
        var entry = new JsonObject
        {
            ["@type"] = "PackageDetails",
            ["id"] = metadata.Id,
            ["version"] = metadata.FullVersion,
            ["authors"] = string.Join(", ", metadata.Authors),
            ["description"] = metadata.Description,
            ["isPrerelease"] = metadata.IsPrerelease,
            ["requireLicenseAcceptance"] = metadata.RequireLicenseAcceptance,
            ["tags"] = new JsonArray(metadata.Tags.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
        };
        Add(entry, "title", metadata.Title);
        Add(entry, "summary", metadata.Summary);
        Add(entry, "projectUrl", metadata.ProjectUrl?.AbsoluteUri);
        Add(entry, "licenseUrl", metadata.LicenseUrl?.AbsoluteUri);
        Add(entry, "iconUrl", metadata.IconUrl?.AbsoluteUri);
        Add(entry, "iconFile", metadata.IconPath);
        Add(entry, "readmeFile", metadata.ReadmePath);
        Add(entry, "copyright", metadata.Copyright);
        Add(entry, "language", metadata.Language);
        Add(entry, "minClientVersion", metadata.MinClientVersion?.ToNormalizedString());
        Add(entry, "repositoryUrl", metadata.Repository?.Url);
        if (metadata.License is { Type: PackageLicenseType.Expression } license)
        {
            entry["licenseExpression"] = license.Value;
        }
        else if (metadata.License is { Type: PackageLicenseType.File } file)
        {
            // nuget.org's catalog names the licence file too; the package page shows it.
            entry["licenseFile"] = file.Value;
        }

        if (metadata.PackageTypes.Count > 0)
        {
            entry["packageTypes"] = new JsonArray(metadata.PackageTypes
                .Select(t => (JsonNode?)new JsonObject { ["name"] = t.Name, ["version"] = t.Version })
                .ToArray());
        }

        entry["dependencyGroups"] = new JsonArray(metadata.DependencyGroups.Select(DependencyGroup).ToArray());
        var json = entry.ToJsonString();
        return json.Length <= MaxLength
            ? json
            : throw new InvalidPackageException($"The package metadata is too large to store ({json.Length} characters of JSON; the limit is {MaxLength}).");
    }

    private static JsonNode? DependencyGroup(PackageDependencyGroup group)
    {
        var node = new JsonObject();
        if (group.TargetFramework.Length > 0)
        {
            node["targetFramework"] = group.TargetFramework;
        }

        node["dependencies"] = new JsonArray(group.Dependencies
            .Select(d => (JsonNode?)new JsonObject { ["id"] = d.Id, ["range"] = d.VersionRange })
            .ToArray());
        return node;
    }

    private static void Add(JsonObject entry, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            entry[name] = value;
        }
    }
}
