using FeedFunctions.Hosting;
using FeedFunctions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The real app on a free loopback port against the shared Azurite, with its own storage names (so tests run
/// in parallel) and its own full-access key.
/// </summary>
public sealed class FeedAppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FeedAppHost(WebApplication app, string baseUrl, string apiKey, string prefix, AzuriteInstance azurite)
    {
        _app = app;
        BaseUrl = baseUrl;
        ApiKey = apiKey;
        NamePrefix = prefix;
        Azurite = azurite;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
    }

    public string BaseUrl { get; }

    public string PushUrl => BaseUrl + "/api/v2/package";

    public string ApiKey { get; }

    public string NamePrefix { get; }

    public AzuriteInstance Azurite { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public FeedStorage Storage => Services.GetRequiredService<FeedStorage>();

    public static async Task<FeedAppHost> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var azurite = await AzuriteInstance.GetAsync();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var apiKey = "test-key-" + Guid.NewGuid().ToString("N");
        var configuration = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = prefix,
            ["Feed:ApiKey"] = apiKey,
            ["urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = FeedApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        // Tests read and write storage directly, not only through requests (which wait for it themselves).
        await app.Services.GetRequiredService<FeedStorageReadiness>().EnsureAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new FeedAppHost(app, address.TrimEnd('/'), apiKey, prefix, azurite);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
