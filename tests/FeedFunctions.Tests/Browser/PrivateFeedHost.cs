using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Browser;

/// <summary>A Functions host of its own with <c>Feed__RequireReadAuth=true</c>, seeded with the demo packages.</summary>
public sealed class PrivateFeedHost : IAsyncLifetime
{
    private FunctionsHost? _host;

    public FunctionsHost Host => _host ?? throw new InvalidOperationException(HeadlessChromium.SkipReason ?? FunctionsHost.SkipReason ?? "The host did not start.");

    public async Task InitializeAsync()
    {
        if (HeadlessChromium.SkipReason is not null || FunctionsHost.SkipReason is not null)
        {
            return;
        }

        _host = await FunctionsHost.StartAsync(new Dictionary<string, string> { ["Feed__RequireReadAuth"] = "true" });
        await DemoPackages.PushAsync(_host);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
