using FeedFunctions.Feed;
using FeedFunctions.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedAdmin;

/// <summary>The feed's storage as the app registers it, so the CLI reaches the same account with the same settings.</summary>
internal sealed record AdminStorage(FeedStorage Storage)
{
    public static async Task<AdminStorage> OpenAsync(IConfiguration configuration, CancellationToken ct)
    {
        var services = new ServiceCollection()
            .Configure<FeedOptions>(configuration.GetSection(FeedOptions.SectionName))
            .AddFeedStorage(configuration)
            .BuildServiceProvider();
        var storage = services.GetRequiredService<FeedStorage>();

        // Only the tables the CLI writes: a first run against a new account must not need the app to have started.
        await Task.WhenAll(storage.ApiKeysTable.CreateIfNotExistsAsync(ct), storage.TrustPoliciesTable.CreateIfNotExistsAsync(ct), storage.RetentionPinsTable.CreateIfNotExistsAsync(ct));
        return new AdminStorage(storage);
    }
}
