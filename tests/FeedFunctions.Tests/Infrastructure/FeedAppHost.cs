using FeedFunctions.Hosting;
using FeedFunctions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The app's functions in process (see <see cref="FunctionRoutes"/>) on a free loopback port against the shared
/// Azurite, with their own storage names (so tests run in parallel) and their own full-access key. Fast, and the
/// place for fault injection (policies in the SDK clients' pipelines); what the Functions host adds is tested
/// through <see cref="FunctionsHost"/>.
/// </summary>
public sealed class FeedAppHost : IFeedUnderTest, IAsyncDisposable
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

    /// <param name="waitForStorage">Wait until the storage resources exist (false: for tests of unreachable storage).</param>
    public static async Task<FeedAppHost> StartAsync(
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool waitForStorage = true)
    {
        var azurite = await AzuriteInstance.GetAsync();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        var apiKey = "test-key-" + Guid.NewGuid().ToString("N");
        var configuration = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = prefix,
            ["Feed:ApiKey"] = apiKey,

            // Search reads an instance's copy of the index: in process, every read refreshes it, so a test that has
            // run the queued events (SearchIndexWait) sees them at once.
            ["Feed:Search:RefreshInterval"] = "00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        // As in the worker (Program.cs): the host and the push reader bound bodies, not Kestrel.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Services.AddFeed(builder.Configuration);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        FunctionRoutes.Map(app);
        await app.StartAsync();

        // Tests read and write storage directly, not only through requests (which wait for it themselves).
        if (waitForStorage)
        {
            await app.Services.GetRequiredService<FeedStorageReadiness>().EnsureAsync();
        }

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
