using System.Net;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.Tests.Symbols;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// The symbol server through the Functions host: its route wins over the package browser's catch-all, HEAD is
/// mapped, the real client's push is indexed, and the hard delete's event (the host's queue trigger) removes it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostSymbolTests(SharedHost shared)
{
    private static readonly string WrongChecksum = "SHA256:" + new string('0', 64);

    [HostFact]
    public async Task Symbols_pushed_with_dotnet_nuget_push_are_served_by_ssqp_and_repush_hostile_and_concurrent_pushes_behave()
    {
        var host = shared.Host;
        var package = await PackedPackages.PathAsync("Contoso.Host.Ssqp", "1.0.0", symbols: true);
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var push = await cli.PushAsync(package, host.ApiKey);
        Assert.True(push.ExitCode == 0, push.ToString());
        var pdb = SymbolPackages.Entry(Path.ChangeExtension(package, ".snupkg"), ".pdb");
        var client = SsqpClient.FromDll(SymbolPackages.Entry(package, ".dll"));

        Assert.Equal(pdb, (await client.GetAsync(host.Client)).Body);
        Assert.Equal(pdb, (await client.GetAsync(host.Client, sendChecksum: false)).Body);
        Assert.Equal(pdb, (await client.GetAsync(host.Client, path: $"/download/symbols/{client.File.ToUpperInvariant()}/{client.Key.ToUpperInvariant()}/{client.File}")).Body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(host.Client, checksums: WrongChecksum)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(host.Client, path: $"/download/symbols/{client.File}/{Guid.NewGuid():N}ffffffff/{client.File}")).Status);
        using (var headRequest = client.Request(HttpMethod.Head))
        using (var head = await host.Client.SendAsync(headRequest))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(pdb.Length, head.Content.Headers.ContentLength);
        }

        // Re-push: the new .snupkg's PDB replaces the old one.
        const string ReId = "Contoso.Host.Sym.Re";
        await ReadSideHttp.PushAsync(host, TestPackage.Create(ReId, "1.0.0"));
        var first = TestPdb.Create(Guid.NewGuid(), "first");
        var second = TestPdb.Create(Guid.NewGuid(), "second");
        await SymbolPackages.PushAsync(host, ReId, "1.0.0", ("lib/net10.0/Re.pdb", first));
        Assert.Equal(first, (await SymbolPackages.ClientFor(first, "re.pdb").GetAsync(host.Client)).Body);
        await SymbolPackages.PushAsync(host, ReId, "1.0.0", ("lib/net10.0/Re.pdb", second));
        Assert.Equal(HttpStatusCode.NotFound, (await SymbolPackages.ClientFor(first, "re.pdb").GetAsync(host.Client)).Status);
        Assert.Equal(second, (await SymbolPackages.ClientFor(second, "re.pdb").GetAsync(host.Client)).Body);

        // Hostile: refused with a reason, nothing indexed for the version.
        const string HostileId = "Contoso.Host.Sym.Hostile";
        await ReadSideHttp.PushAsync(host, TestPackage.Create(HostileId, "1.0.0"));
        var valid = TestPdb.Create(Guid.NewGuid(), "valid");
        foreach (var (name, content) in new (string, byte[])[] { ("text", "not a pdb"u8.ToArray()), ("truncated", valid[..(valid.Length / 2)]) })
        {
            var snupkg = ReadSideHttp.SymbolPackage(HostileId, "1.0.0", ("lib/net10.0/Good.pdb", valid), ("lib/net10.0/Bad.pdb", content)).ToBytes();
            using var response = await ReadSideHttp.PushSymbolsAsync(host, snupkg, host.ApiKey);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {response.ReasonPhrase}");
            Assert.Contains("Bad.pdb", response.ReasonPhrase);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await SymbolPackages.ClientFor(valid, "good.pdb").GetAsync(host.Client)).Status);
        Assert.DoesNotContain(await SymbolPackages.IndexRowsAsync(host), row => row.Contains("contoso.host.sym.hostile", StringComparison.Ordinal));

        // Concurrent pushes of the same symbols: one entry, one blob.
        const string RaceId = "Contoso.Host.Sym.Race";
        await ReadSideHttp.PushAsync(host, TestPackage.Create(RaceId, "1.0.0"));
        var race = TestPdb.Create(Guid.NewGuid(), "race");
        var raceSnupkg = ReadSideHttp.SymbolPackage(RaceId, "1.0.0", ("lib/net10.0/Race.pdb", race)).ToBytes();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ReadSideHttp.PushSymbolsAsync(host, raceSnupkg, host.ApiKey)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Array.ForEach(responses, r => r.Dispose());
        var raceKey = TestPdb.Key(race);
        Assert.Single(await SymbolPackages.BlobsAsync(host), b => b.StartsWith(raceKey + "/", StringComparison.Ordinal));
        Assert.Single(await SymbolPackages.IndexRowsAsync(host), r => r.StartsWith(raceKey + "|", StringComparison.Ordinal));
        Assert.Equal(race, (await SymbolPackages.ClientFor(race, "race.pdb").GetAsync(host.Client)).Body);
    }

    [HostFact]
    public async Task A_private_feed_requiring_checksums_serves_with_key_and_checksum_and_a_hard_delete_removes_the_symbols()
    {
        await using var host = await FunctionsHost.StartAsync(new Dictionary<string, string>
        {
            ["Feed__RequireReadAuth"] = "true",
            ["Feed__Symbols__RequireChecksum"] = "true",
            ["Feed__DeleteMode"] = "HardDelete",
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
        });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Host.Sym.Private", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "private");
        await SymbolPackages.PushAsync(host, "Contoso.Host.Sym.Private", "1.0.0", ("lib/net10.0/Private.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "private.pdb");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(host.Client)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(host.Client, sendChecksum: false, apiKey: host.ApiKey)).Status);
        Assert.Equal(pdb, (await client.GetAsync(host.Client, apiKey: host.ApiKey)).Body);

        using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Host.Sym.Private/1.0.0", host.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await Poll.UntilAsync(
            async () => (await client.GetAsync(host.Client, apiKey: host.ApiKey)).Status,
            status => status == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(60),
            "the deleted version's PDB to be removed by the package.deleted handler");
        await Poll.UntilAsync(
            async () => (await SymbolPackages.IndexRowsAsync(host)).Count + (await SymbolPackages.BlobsAsync(host)).Count,
            count => count == 0,
            TimeSpan.FromSeconds(30),
            "the symbol index and blobs to be empty");
    }
}
