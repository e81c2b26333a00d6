using System.Diagnostics;
using System.Net;
using FeedFunctions.Hosting;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedFunctions.Tests.Functions;

/// <summary>Storage set-up runs in the background: the readiness probe answers at once, storage routes wait for it.</summary>
public sealed class StartupReadinessTests
{
    [Fact]
    public async Task Unreachable_storage_still_answers_the_probe_and_turns_storage_routes_into_503()
    {
        var deadPort = AppProcess.FreePort();
        var app = FeedApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = AzuriteInstance.DevelopmentConnectionString(deadPort, deadPort, deadPort),
                ["Feed:Storage:Retry:MaxRetries"] = "0",
                ["urls"] = "http://127.0.0.1:0",
                ["Feed:Events:LocalListener"] = "false",
            });
            builder.Logging.SetMinimumLevel(LogLevel.Critical);
        });
        var started = Stopwatch.StartNew();
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address) };

            using var probe = await client.GetAsync("/");
            var probeTime = started.Elapsed;
            using var health = await client.GetAsync("/api/health");
            using var versions = await client.GetAsync("/v3/flatcontainer/contoso.lib/index.json");

            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
            Assert.True(probeTime < TimeSpan.FromSeconds(10), probeTime.ToString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, versions.StatusCode);
            Assert.NotNull(versions.Headers.RetryAfter);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
