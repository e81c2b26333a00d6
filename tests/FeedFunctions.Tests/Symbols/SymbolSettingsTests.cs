using System.Reflection;
using System.Text.Json;
using FeedFunctions.Symbols;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Symbols;

public sealed class SymbolSettingsTests
{
    private static IEnumerable<string> Settings() =>
        typeof(SymbolsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => "Feed__Symbols__" + p.Name);

    [Fact]
    public void Symbol_settings_are_in_the_sample_and_the_readme_settings_table_and_RequireChecksum_in_the_bicep()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));
        var bicep = File.ReadAllText(RepositoryPaths.InRoot("infra", "bicep", "main.bicep"));

        Assert.NotEmpty(Settings());
        foreach (var name in Settings())
        {
            Assert.True(values.Contains(name), $"local.settings.sample.json lacks {name}");
            Assert.Contains($"`{name}`", readme);
        }

        Assert.Contains("Feed__Symbols__RequireChecksum", bicep);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("4294967296")]
    public async Task An_out_of_range_MaxPdbSizeBytes_stops_the_start_with_a_reason(string value)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Symbols:MaxPdbSizeBytes"] = value });
        });

        Assert.Contains("MaxPdbSizeBytes", failure.Message);
    }
}
