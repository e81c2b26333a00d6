using System.Diagnostics;
using System.Net;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Functions;

/// <summary>Storage set-up runs in the background from start-up; requests wait for it, and unreachable storage is a 503.</summary>
public sealed class StartupReadinessTests
{
    [Fact]
    public async Task Unreachable_storage_turns_requests_into_503_with_retry_after_not_500s_or_hangs()
    {
        var deadPort = FunctionsHost.FreePort();
        var started = Stopwatch.StartNew();
        await using var host = await FeedAppHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = AzuriteInstance.DevelopmentConnectionString(deadPort, deadPort, deadPort),
                ["Feed:Storage:Retry:MaxRetries"] = "0",
            },
            waitForStorage: false);

        using var health = await host.Client.GetAsync("/api/health");
        using var versions = await host.Client.GetAsync("/v3/flatcontainer/contoso.lib/index.json");
        var elapsed = started.Elapsed;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, versions.StatusCode);
        Assert.NotNull(versions.Headers.RetryAfter);
        Assert.Equal("Storage is temporarily unavailable. Please retry.", versions.ReasonPhrase);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), elapsed.ToString());
    }
}
