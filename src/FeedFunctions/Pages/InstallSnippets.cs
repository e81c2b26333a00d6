using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>
/// Copyable ways to use a version: the CLI, a PackageReference, a file-based app's <c>#:package</c> directive, and
/// Central Package Management's PackageVersion; tools and templates get their own install command.
/// </summary>
public static class InstallSnippets
{
    public static Html Render(PackageRecord record, IReadOnlyList<string> packageTypes)
    {
        var (id, version) = (record.Id, record.Version);
        var snippets = new List<(string Label, string Code)>();
        if (packageTypes.Contains("DotnetTool", StringComparer.OrdinalIgnoreCase))
        {
            snippets.Add((".NET tool", $"dotnet tool install --global {id} --version {version}"));
        }

        if (packageTypes.Contains("Template", StringComparer.OrdinalIgnoreCase))
        {
            snippets.Add(("Template", $"dotnet new install {id}::{version}"));
        }

        snippets.Add((".NET CLI", $"dotnet add package {id} --version {version}"));
        snippets.Add(("PackageReference", $"<PackageReference Include=\"{id}\" Version=\"{version}\" />"));
        snippets.Add(("File-based app", $"#:package {id}@{version}"));
        snippets.Add(("Central Package Management (Directory.Packages.props)", $"<PackageVersion Include=\"{id}\" Version=\"{version}\" />"));
        return Html.Join(snippets.Select(s => Html.Of($"""
            <div class="snippet"><div class="label"><span>{s.Label}</span></div><pre><code>{s.Code}</code></pre></div>
            """)));
    }
}
