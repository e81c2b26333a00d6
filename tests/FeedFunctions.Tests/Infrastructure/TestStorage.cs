using Azure.Core.Pipeline;
using FeedFunctions.Feed;
using FeedFunctions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>The feed's storage clients outside an app, through the app's own registration (so the same SDK set-up).</summary>
public static class TestStorage
{
    public static FeedStorage Create(string connectionString, string namePrefix = "", params HttpPipelinePolicy[] policies)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageConnectionSettings.SectionName] = connectionString,
            ["Feed:Storage:NamePrefix"] = namePrefix,
        }).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .Configure<FeedOptions>(configuration.GetSection(FeedOptions.SectionName))
            .AddFeedStorage(configuration);
        foreach (var policy in policies)
        {
            services.AddSingleton(policy);
        }

        return services.BuildServiceProvider().GetRequiredService<FeedStorage>();
    }
}
