using System.Text.Json.Nodes;
using NuGet.Frameworks;
using NuGet.Versioning;

namespace FeedFunctions.Pages;

/// <summary>
/// Dependencies per target framework, from the catalog entry computed at push time. Each id links to its page on
/// this feed: finding out which ids the feed has would cost a table query per dependency, so one that comes from
/// another source (nuget.org) shows the not-found page, which says so.
/// </summary>
public static class DependencyList
{
    public static Html Render(PageUrls urls, JsonObject catalog)
    {
        var groups = (catalog["dependencyGroups"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (groups.Count == 0)
        {
            return Html.Of($"<p>This package has no dependencies.</p>");
        }

        return Html.Join(groups.Select(group => Html.Of($"""
            <h3>{FrameworkName(Framework(group))}</h3>
            {Dependencies(urls, group)}
            """)));
    }

    private static Html Dependencies(PageUrls urls, JsonObject group)
    {
        var dependencies = (group["dependencies"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (dependencies.Count == 0)
        {
            return Html.Of($"<p class=\"meta\">No dependencies.</p>");
        }

        return Html.Of($"""<ul>{Html.Join(dependencies.Select(d => Dependency(urls, d)))}</ul>""");
    }

    private static Html Dependency(PageUrls urls, JsonObject dependency)
    {
        var id = dependency["id"]?.GetValue<string>() ?? string.Empty;
        var range = dependency["range"]?.GetValue<string>();
        return Html.Of($"""<li><a href="{urls.Package(id)}">{id}</a> <span class="version">{Range(range)}</span></li>""");
    }

    private static string? Framework(JsonObject group) => group["targetFramework"]?.GetValue<string>();

    private static string FrameworkName(string? framework)
    {
        if (string.IsNullOrEmpty(framework))
        {
            return "Any framework";
        }

        try
        {
            var parsed = NuGetFramework.Parse(framework);
            return parsed.IsUnsupported ? framework : parsed.GetShortFolderName();
        }
        catch (Exception ex) when (ex is ArgumentException or FrameworkException)
        {
            return framework;
        }
    }

    /// <summary>NuGet's own display form: (&gt;= 1.0.0), (&gt;= 1.0.0 &amp;&amp; &lt; 2.0.0), (= 1.0.0).</summary>
    private static string Range(string? range) =>
        range is not null && VersionRange.TryParse(range, out var parsed) ? parsed.PrettyPrint() : range ?? string.Empty;
}
