using System.Reflection;
using System.Text.Json;
using FeedFunctions.Retention;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Retention;

/// <summary>Every retention setting is in the sample settings, the README's settings table, docs/retention.md and (but the test-only one) the Bicep.</summary>
public sealed class RetentionDocumentationTests
{
    [Fact]
    public void Retention_settings_are_in_the_sample_the_readme_the_docs_and_the_bicep()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var bicep = File.ReadAllText(RepositoryPaths.InRoot("infra", "bicep", "main.bicep"));
        var readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));
        var docs = File.ReadAllText(RepositoryPaths.InRoot("docs", "retention.md"));

        foreach (var name in typeof(RetentionOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => "Feed__Retention__" + p.Name))
        {
            Assert.True(values.Contains(name), $"local.settings.sample.json lacks {name}");
            Assert.Contains($"`{name}`", readme);
            Assert.Contains(name, docs);
            if (name != "Feed__Retention__MinimumAge")
            {
                Assert.Contains(name, bicep);
            }
        }

        Assert.DoesNotContain("Feed__Retention__MinimumAge", bicep);
        Assert.Contains("docs/retention.md", readme);
    }
}
