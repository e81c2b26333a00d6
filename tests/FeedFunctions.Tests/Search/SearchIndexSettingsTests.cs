using System.Text.Json;
using FeedFunctions.Search;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Search;

/// <summary>The search index's settings: documented where every setting is, and refused at start-up when out of range.</summary>
public sealed class SearchIndexSettingsTests
{
    private static readonly string[] Settings = typeof(SearchIndexOptions).GetProperties().Where(p => p.CanWrite).Select(p => "Feed__Search__" + p.Name).ToArray();

    [Fact]
    public void Search_settings_are_in_the_sample_the_bicep_and_the_readme_settings_table()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var bicep = File.ReadAllText(RepositoryPaths.InRoot("infra", "bicep", "main.bicep"));
        var readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));

        Assert.Equal(["Feed__Search__RefreshInterval", "Feed__Search__BuildOnStart"], Settings);
        foreach (var name in Settings)
        {
            Assert.True(values.Contains(name), $"local.settings.sample.json lacks {name}");
            Assert.Contains(name, bicep);
            Assert.Contains($"`{name}`", readme);
        }
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:00")]
    public async Task An_out_of_range_refresh_interval_stops_the_start_with_the_reason(string interval)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Search:RefreshInterval"] = interval }));

        Assert.Contains("Feed:Search:RefreshInterval must be between 00:00:00 and 00:01:00", error.Message);
    }
}
