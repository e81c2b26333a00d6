using System.Reflection;
using System.Text.Json;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.TrustedPublishing;

namespace FeedFunctions.Tests.Functions;

/// <summary>Every setting the code reads appears in local.settings.sample.json and in the Bicep deployment.</summary>
public sealed class SettingsDocumentationTests
{
    private static IEnumerable<string> FeedSettings() =>
        typeof(FeedOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.PropertyType != typeof(FeedStorageOptions))
            .Select(p => "Feed__" + p.Name)
            .Append("Feed__Storage__NamePrefix");

    private static IEnumerable<string> EventSettings() =>
        typeof(EventsOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => "Feed__Events__" + p.Name);

    private static IEnumerable<string> TrustedPublishingSettings() =>
        typeof(TrustedPublishingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .Select(p => "Feed__TrustedPublishing__" + p.Name);

    [Fact]
    public void Trusted_publishing_settings_are_in_the_sample_the_bicep_and_the_readme_settings_table()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var bicep = string.Join('\n', Directory.GetFiles(RepositoryPaths.InRoot("infra", "bicep"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));
        var readme = File.ReadAllText(RepositoryPaths.InRoot("README.md"));

        foreach (var name in TrustedPublishingSettings())
        {
            Assert.True(values.Contains(name), $"local.settings.sample.json lacks {name}");
            Assert.Contains($"`{name}`", readme);
            if (name != "Feed__TrustedPublishing__AllowHttpLoopbackIssuers")
            {
                Assert.Contains(name, bicep);
            }
        }

        Assert.DoesNotContain("Feed__TrustedPublishing__AllowHttpLoopbackIssuers", bicep);
    }

    [Fact]
    public void Local_settings_sample_lists_every_setting()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        var values = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();

        foreach (var name in FeedSettings().Concat(EventSettings())
                     .Concat(["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsDisableHomepage", "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT", "Feed__Webhooks__0__Url", "Feed__Webhooks__0__Secret", "Feed__Webhooks__0__Events"]))
        {
            Assert.True(values.Contains(name), $"local.settings.sample.json lacks {name}");
        }
    }

    [Fact]
    public void Bicep_sets_the_identity_based_connection_and_the_feed_settings()
    {
        var bicep = string.Join('\n', Directory.GetFiles(RepositoryPaths.InRoot("infra", "bicep"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));

        foreach (var name in new[]
                 {
                     "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
                     "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
                     "Feed__MaxPackageSizeBytes", "Feed__AllowOverwrite", "Feed__DeleteMode", "Feed__ReadOnly", "Feed__RequireReadAuth",
                     "Feed__PublicBaseUrl", "Feed__ApiKey", "AzureWebJobsDisableHomepage",
                 })
        {
            Assert.Contains(name, bicep);
        }

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", bicep.Replace("must NOT be set", string.Empty, StringComparison.Ordinal).Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)).Aggregate(string.Empty, (a, b) => a + b));
    }
}
