using System.Net;
using System.Security.Cryptography;
using Azure.Core.Pipeline;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Symbols;

/// <summary>
/// What a PDB download costs: storage requests counted on the wire (in the storage clients' pipelines), and the
/// test process's allocations while a 100 MB PDB streams through the in-process feed (client side included).
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class SymbolDownloadCostTests(ITestOutputHelper output)
{
    private const int LargePdbPadding = 100 * 1024 * 1024;

    /// <summary>A download must stream: a buffered 100 MB PDB would allocate at least 100 MB.</summary>
    private const long AllocationBudgetBytes = 16L * 1024 * 1024;

    [Fact]
    public async Task A_download_is_one_table_query_and_one_blob_read_and_a_head_only_the_query()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Cost", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "cost");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Cost", "1.0.0", ("lib/net10.0/Contoso.Sym.Cost.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "contoso.sym.cost.pdb");
        await FeedHttp.WaitForOutboxAsync(host);

        recording.Requests.Clear();
        var get = await client.GetAsync(host.Client);
        var getRequests = recording.Requests.ToList();
        recording.Requests.Clear();
        using var headRequest = client.Request(HttpMethod.Head);
        using var head = await host.Client.SendAsync(headRequest);
        var headRequests = recording.Requests.ToList();
        recording.Requests.Clear();
        var unknown = await client.GetAsync(host.Client, path: $"/download/symbols/x.pdb/{Guid.NewGuid():N}ffffffff/x.pdb");
        var unknownRequests = recording.Requests.ToList();
        output.WriteLine("GET: " + string.Join(", ", getRequests));
        output.WriteLine("HEAD: " + string.Join(", ", headRequests));

        Assert.Equal(pdb, get.Body);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(2, getRequests.Count);
        Assert.Single(getRequests, r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("SymbolIndex()", StringComparison.Ordinal));
        Assert.Single(getRequests, r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("-symbols/", StringComparison.Ordinal));
        Assert.Single(headRequests, r => r.Contains("SymbolIndex()", StringComparison.Ordinal));
        Assert.Single(unknownRequests, r => r.Contains("SymbolIndex()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_100_MB_pdb_streams_with_bounded_allocations()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Large", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "large", padding: LargePdbPadding);
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Large", "1.0.0", ("lib/net10.0/Contoso.Sym.Large.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "contoso.sym.large.pdb");
        var expectedHash = SHA256.HashData(pdb);
        var expectedLength = pdb.LongLength;
        pdb = null;
        GC.Collect();

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long received = 0;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        using (var request = client.Request())
        using (var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"Downloaded {received:N0} bytes; the process allocated {allocated:N0} bytes meanwhile (feed and client).");

        Assert.Equal(expectedLength, received);
        Assert.Equal(expectedHash, hash.GetHashAndReset());
        Assert.True(allocated < AllocationBudgetBytes, $"{allocated:N0} bytes allocated for a {received:N0}-byte download");
    }
}
