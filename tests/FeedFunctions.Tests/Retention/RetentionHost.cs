using System.Net;
using System.Text.Json;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Retention;

/// <summary>
/// The Functions host with retention on, for <see cref="HostRetentionTests"/>: newest 5 prereleases, 3 stable
/// versions per major, prereleases older than a day below a stable version, <c>Contoso.HostRet.Exempt*</c> exempt,
/// and no minimum age (so pushes a second apart can be removed; the minute has its own host test). Its webhook goes
/// to <see cref="Receiver"/>, the sweep runs every 2 s and the queue trigger retries after 1 s.
/// </summary>
public sealed class RetentionHost : IAsyncLifetime
{
    public const int MaxPrereleases = 5;

    private FunctionsHost? _host;
    private WebhookReceiver? _receiver;

    public FunctionsHost Host => _host ?? throw new InvalidOperationException(FunctionsHost.SkipReason ?? "The host did not start.");

    public WebhookReceiver Receiver => _receiver ?? throw new InvalidOperationException("The receiver did not start.");

    public static Dictionary<string, string> Settings(string? webhook) => new()
    {
        ["Feed__Retention__MaxPrereleaseVersionsPerId"] = MaxPrereleases.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Feed__Retention__MaxStableVersionsPerMajor"] = "3",
        ["Feed__Retention__PrereleaseMaxAge"] = "1.00:00:00",
        ["Feed__Retention__Exempt"] = "Contoso.HostRet.Exempt*",
        ["Feed__Retention__MinimumAge"] = "00:00:00",
        ["Feed__Webhooks__0__Url"] = webhook ?? string.Empty,
        ["Feed__Webhooks__0__Secret"] = "retention-webhook-secret",
        ["Feed__Events__SweepSchedule"] = "*/2 * * * * *",
        ["Feed__Events__SweepAge"] = "00:00:01",
        ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:01",
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
    };

    public async Task InitializeAsync()
    {
        if (FunctionsHost.SkipReason is not null)
        {
            return;
        }

        _receiver = await WebhookReceiver.StartAsync();
        _host = await FunctionsHost.StartAsync(Settings(_receiver.Url));
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

    /// <summary>
    /// Runs a timer function now, through the host's admin API (<c>POST /admin/functions/{name}</c>, what the portal's
    /// "Test/Run" calls) with the master key. The host creates its keys the first time a request carries one (the
    /// probe, refused), and keeps them, locally unencrypted, in its secrets container in the feed's storage.
    /// </summary>
    public static async Task RunFunctionAsync(FunctionsHost host, string name)
    {
        using (var probe = await PostAdminAsync(host, name, "probe"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, probe.StatusCode);
        }

        var key = await Poll.UntilAsync(() => MasterKeyAsync(host), k => k is not null, TimeSpan.FromSeconds(30), "the host's master key");
        using var run = await PostAdminAsync(host, name, key);
        Assert.True(run.StatusCode == HttpStatusCode.Accepted, $"POST /admin/functions/{name}: {(int)run.StatusCode} {run.ReasonPhrase}");
    }

    private static async Task<HttpResponseMessage> PostAdminAsync(FunctionsHost host, string name, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/admin/functions/{name}") { Content = new StringContent("{\"input\":\"\"}", System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        return await host.Client.SendAsync(request);
    }

    private static async Task<string?> MasterKeyAsync(FunctionsHost host)
    {
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(host.Azurite.ConnectionString).GetBlobContainerClient("azure-webjobs-secrets");
        if (!await blobs.ExistsAsync())
        {
            return null;
        }

        await foreach (var blob in blobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            if (blob.Name.EndsWith("/host.json", StringComparison.Ordinal))
            {
                using var secrets = JsonDocument.Parse((await blobs.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString());
                return secrets.RootElement.GetProperty("masterKey").GetProperty("value").GetString();
            }
        }

        return null;
    }
}

[CollectionDefinition(Name)]
public sealed class RetentionHostCollection : ICollectionFixture<RetentionHost>
{
    public const string Name = "Retention on the Functions host";
}
