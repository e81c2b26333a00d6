using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// One Functions host (and its own Azurite) shared by the tests of the <see cref="HostCollection"/>, which run one
/// after another and each use package ids of their own. Its webhook goes to <see cref="Receiver"/>; the timer sweeps
/// every 2 s, the queue trigger retries after 1 s (host.json overridden by app settings, as in Azure), and pushes
/// up to 160 MiB are accepted.
/// </summary>
public sealed class SharedHost : IAsyncLifetime
{
    public const string WebhookSecret = "host-webhook-secret";

    public const long MaxPackageSizeBytes = 160L * 1024 * 1024;

    private FunctionsHost? _host;
    private WebhookReceiver? _receiver;

    public FunctionsHost Host => _host ?? throw new InvalidOperationException(FunctionsHost.SkipReason ?? "The host did not start.");

    public WebhookReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver did not start.");

    public async Task InitializeAsync()
    {
        if (FunctionsHost.SkipReason is not null)
        {
            return;
        }

        _receiver = await WebhookReceiver.StartAsync();
        _host = await FunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["Feed__Webhooks__0__Url"] = _receiver.Url,
            ["Feed__Webhooks__0__Secret"] = WebhookSecret,
            ["Feed__Events__SweepSchedule"] = "*/2 * * * * *",
            ["Feed__Events__SweepAge"] = "00:00:05",
            ["Feed__MaxPackageSizeBytes"] = MaxPackageSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = (250L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:01",
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
        });
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}
