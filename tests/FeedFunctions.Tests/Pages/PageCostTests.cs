using Azure.Core.Pipeline;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Pages;

/// <summary>
/// A page costs no more table reads than its V3 twin: the home page reads what <c>/v3/search</c> reads, a package
/// page what the registration index reads (one partition query), plus the readme blob and a HEAD for symbols.
/// Counted on the wire, in the storage clients' pipelines.
/// </summary>
public sealed class PageCostTests
{
    [Fact]
    public async Task Pages_cost_the_table_reads_of_their_v3_twins()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));
        for (var i = 0; i < 3; i++)
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Cost", $"1.0.{i}")
                .WithMetadata("readme", "README.md").WithFile("README.md", "# Cost")
                .WithDependency("net10.0", "Contoso.Other", "1.0.0"));
        }

        // Pushes send their events just after their responses: let that finish so only the pages' requests count.
        await FeedHttp.WaitForOutboxAsync(host);
        var search = await RequestsAsync(host, recording, "/v3/search?q=cost");
        var home = await RequestsAsync(host, recording, "/packages?q=cost");
        var registration = await RequestsAsync(host, recording, "/v3/registration/contoso.cost/index.json");
        var page = await RequestsAsync(host, recording, "/packages/Contoso.Cost/1.0.1");
        var idPage = await RequestsAsync(host, recording, "/packages/Contoso.Cost");

        Assert.Equal(Table(search).Count, Table(home).Count);
        Assert.Single(Table(registration));
        Assert.Equal(Table(registration).Count, Table(page).Count);
        Assert.Equal(Table(registration).Count, Table(idPage).Count);
        Assert.Empty(Blob(registration));
        Assert.Equal(2, Blob(page).Count);
        Assert.Single(Blob(page), r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("/readme", StringComparison.Ordinal));
        Assert.Single(Blob(page), r => r.StartsWith("HEAD ", StringComparison.Ordinal) && r.Contains("/symbols/", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RequestsAsync(FeedAppHost host, RecordingPolicy recording, string path)
    {
        recording.Requests.Clear();
        using var response = await host.Client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return recording.Requests.ToList();
    }

    private static List<string> Table(List<string> requests) => requests.Where(r => r.Contains("Packages()", StringComparison.Ordinal) || r.Contains("Packages(", StringComparison.Ordinal)).ToList();

    private static List<string> Blob(List<string> requests) => requests.Where(r => r.Contains("-packages/", StringComparison.Ordinal)).ToList();
}
