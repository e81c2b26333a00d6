using System.Net;
using FeedFunctions.Events;
using FeedFunctions.Symbols;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Symbols;

/// <summary>
/// The SSQP symbol server, in process: what <c>dotnet pack</c> made and <c>dotnet nuget push</c> sent is served at the
/// key the DLL names (read by <see cref="SsqpClient"/>, a client written from the SSQP and PDB checksum specs).
/// </summary>
public sealed class SymbolServerTests
{
    private static readonly string WrongChecksum = "SHA256:" + new string('0', 64);

    [Fact]
    public async Task The_pdb_dotnet_nuget_push_sent_is_served_at_the_key_and_checksum_of_the_dll()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var (package, symbols) = await PackedPackages.WithSymbolsAsync();
        var push = await cli.PushAsync(package, host.ApiKey);
        Assert.True(push.ExitCode == 0, push.ToString());
        var pdb = SymbolPackages.Entry(symbols, ".pdb");
        var client = SsqpClient.FromDll(SymbolPackages.Entry(package, ".dll"));

        var withChecksum = await client.GetAsync(host.Client);
        var withoutChecksum = await client.GetAsync(host.Client, sendChecksum: false);
        var wrongChecksum = await client.GetAsync(host.Client, checksums: WrongChecksum);
        var oneOfSeveral = await client.GetAsync(host.Client, checksums: $"SHA384:{new string('1', 96)}; {WrongChecksum} ;{client.Checksums}");
        var upperCase = await client.GetAsync(host.Client, path: $"/download/symbols/{client.File.ToUpperInvariant()}/{client.Key.ToUpperInvariant()}/{client.File}");
        using var headRequest = client.Request(HttpMethod.Head);
        using var head = await host.Client.SendAsync(headRequest);
        using var getRequest = client.Request();
        using var get = await host.Client.SendAsync(getRequest);

        Assert.Equal("contoso.packed.pdb", client.File);
        Assert.StartsWith("SHA256:", client.Checksums);
        Assert.Equal(HttpStatusCode.OK, withChecksum.Status);
        Assert.Equal(pdb, withChecksum.Body);
        Assert.Equal(pdb, withoutChecksum.Body);
        Assert.Equal(HttpStatusCode.NotFound, wrongChecksum.Status);
        Assert.Equal(pdb, oneOfSeveral.Body);
        Assert.Equal(pdb, upperCase.Body);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(pdb.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdb.Length, get.Content.Headers.ContentLength);
        Assert.Contains("SymbolChecksum", get.Headers.Vary);
    }

    [Fact]
    public async Task Unknown_keys_and_malformed_requests_get_404()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Unknown", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "unknown");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Unknown", "1.0.0", ("lib/net10.0/Contoso.Sym.Unknown.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "Contoso.Sym.Unknown.pdb");
        var key = client.Key;

        string[] paths =
        [
            $"/download/symbols/contoso.sym.unknown.pdb/{Guid.NewGuid():N}ffffffff/contoso.sym.unknown.pdb",
            $"/download/symbols/other.pdb/{key}/other.pdb",
            $"/download/symbols/contoso.sym.unknown.pdb/{key}/other.pdb",
            $"/download/symbols/contoso.sym.unknown.pdb/{key[..20]}/contoso.sym.unknown.pdb",
            $"/download/symbols/contoso.sym.unknown.pdb/{key[..38]}zz/contoso.sym.unknown.pdb",
            $"/download/symbols/contoso.sym.unknown.pdb/{key}",
        ];
        foreach (var path in paths)
        {
            var (status, _) = await client.GetAsync(host.Client, path: path);
            Assert.True(status == HttpStatusCode.NotFound, $"{path}: {(int)status}");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(host.Client)).Status);
    }

    [Fact]
    public async Task A_repush_replaces_the_versions_pdbs_and_deletes_the_ones_it_no_longer_has()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Re", "1.0.0"));
        var first = TestPdb.Create(Guid.NewGuid(), "first");
        var second = TestPdb.Create(Guid.NewGuid(), "second");
        const string entry = "lib/net10.0/Contoso.Sym.Re.pdb";

        await SymbolPackages.PushAsync(host, "Contoso.Sym.Re", "1.0.0", (entry, first));
        var firstBefore = await SymbolPackages.ClientFor(first, "contoso.sym.re.pdb").GetAsync(host.Client);
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Re", "1.0.0", (entry, second));
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Re", "1.0.0", (entry, second));

        Assert.Equal(first, firstBefore.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await SymbolPackages.ClientFor(first, "contoso.sym.re.pdb").GetAsync(host.Client)).Status);
        Assert.Equal(second, (await SymbolPackages.ClientFor(second, "contoso.sym.re.pdb").GetAsync(host.Client)).Body);
        Assert.Single(await SymbolPackages.BlobsAsync(host));
        Assert.Equal(2, (await SymbolPackages.IndexRowsAsync(host)).Count); // the entry and the version's record of it
    }

    [Fact]
    public async Task A_hard_delete_removes_the_versions_symbols_and_a_late_delivery_keeps_a_newer_push()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:DeleteMode"] = "HardDelete" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Gone", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "gone");
        var client = SymbolPackages.ClientFor(pdb, "contoso.sym.gone.pdb");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Gone", "1.0.0", ("lib/net10.0/Contoso.Sym.Gone.pdb", pdb));
        var before = await client.GetAsync(host.Client);

        using var delete = await FeedHttp.SendAsync(host, HttpMethod.Delete, "/api/v2/package/Contoso.Sym.Gone/1.0.0", host.ApiKey);
        await FeedHttp.WaitForOutboxAsync(host);
        await InProcessEvents.DrainAsync(host);
        var after = await client.GetAsync(host.Client);
        var rowsAfter = await SymbolPackages.IndexRowsAsync(host);
        var blobsAfter = await SymbolPackages.BlobsAsync(host);

        // Pushed again, with the same symbols; then the old deletion is delivered once more.
        var deletion = PackageEvent.Create(PackageEventType.Deleted, "Contoso.Sym.Gone", "1.0.0", null, null, null, DateTimeOffset.UtcNow);
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Gone", "1.0.0"));
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Gone", "1.0.0", ("lib/net10.0/Contoso.Sym.Gone.pdb", pdb));
        await host.Services.GetRequiredService<SymbolCleanupHandler>().HandleAsync(deletion, new PackageEventDelivery("late", 2), CancellationToken.None);

        Assert.Equal(pdb, before.Body);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.Status);
        Assert.Empty(rowsAfter);
        Assert.Empty(blobsAfter);
        Assert.Equal(pdb, (await client.GetAsync(host.Client)).Body);
    }

    [Fact]
    public async Task With_RequireChecksum_a_request_needs_a_matching_SymbolChecksum()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Symbols:RequireChecksum"] = "true" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Strict", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "strict");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Strict", "1.0.0", ("lib/net10.0/Contoso.Sym.Strict.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "contoso.sym.strict.pdb");

        using var withoutRequest = client.Request(sendChecksum: false);
        using var without = await host.Client.SendAsync(withoutRequest);
        var wrong = await client.GetAsync(host.Client, checksums: WrongChecksum);
        var matching = await client.GetAsync(host.Client);

        Assert.Equal(HttpStatusCode.NotFound, without.StatusCode);
        Assert.Contains("SymbolChecksum", without.ReasonPhrase);
        Assert.Equal(HttpStatusCode.NotFound, wrong.Status);
        Assert.Equal(pdb, matching.Body);
    }

    [Fact]
    public async Task A_private_feed_serves_symbols_only_with_a_read_key()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:RequireReadAuth"] = "true" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Private", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "private");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Private", "1.0.0", ("lib/net10.0/Contoso.Sym.Private.pdb", pdb));
        var client = SymbolPackages.ClientFor(pdb, "contoso.sym.private.pdb");

        var anonymous = await client.GetAsync(host.Client);
        using var headRequest = client.Request(HttpMethod.Head);
        using var anonymousHead = await host.Client.SendAsync(headRequest);
        var wrongKey = await client.GetAsync(host.Client, apiKey: "wrong");
        var withKey = await client.GetAsync(host.Client, apiKey: host.ApiKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousHead.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Equal(pdb, withKey.Body);
    }

    /// <summary>
    /// A PDB claiming another package's PDB id (by accident or to plant symbols): a client with the DLL's checksum
    /// gets the PDB the DLL was built with; one without a checksum gets the PDB indexed first.
    /// </summary>
    [Fact]
    public async Task A_pdb_claiming_an_indexed_id_is_served_only_to_its_own_checksum()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Victim", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Liar", "1.0.0"));
        var id = Guid.NewGuid();
        var genuine = TestPdb.Create(id, "genuine");
        var impostor = TestPdb.Create(id, "impostor");
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Victim", "1.0.0", ("lib/net10.0/Shared.pdb", genuine));
        await SymbolPackages.PushAsync(host, "Contoso.Sym.Liar", "1.0.0", ("lib/net10.0/Shared.pdb", impostor));
        var client = SymbolPackages.ClientFor(genuine, "shared.pdb");

        Assert.Equal(client.Key, TestPdb.Key(impostor));
        Assert.Equal(genuine, (await client.GetAsync(host.Client)).Body);
        Assert.Equal(genuine, (await client.GetAsync(host.Client, sendChecksum: false)).Body);
        Assert.Equal(impostor, (await client.GetAsync(host.Client, checksums: TestPdb.Checksum(impostor))).Body);
    }

    [Fact]
    public async Task Hostile_symbol_packages_get_400_and_nothing_is_indexed()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Symbols:MaxPdbSizeBytes"] = "1048576" });
        const string Id = "Contoso.Sym.Hostile";
        await ReadSideHttp.PushAsync(host, TestPackage.Create(Id, "1.0.0"));
        var (package, _) = await PackedPackages.WithSymbolsAsync();
        var dll = SymbolPackages.Entry(package, ".dll");
        var valid = TestPdb.Create(Guid.NewGuid(), "valid");
        var windowsPdb = "Microsoft C/C++ MSF 7.00\r\n\u001aDS\0\0\0"u8.ToArray().Concat(new byte[1024]).ToArray();
        var nuspec = ReadSideHttp.SymbolPackage(Id, "1.0.0", []).NuspecBytes;

        (string Case, byte[] Snupkg, string Reason)[] cases =
        [
            ("text", Snupkg(("lib/net10.0/A.pdb", "not a pdb"u8.ToArray())), "is not a portable PDB"),
            ("a dll named .pdb", Snupkg(("lib/net10.0/A.pdb", dll)), "is not a portable PDB"),
            ("windows pdb", Snupkg(("lib/net10.0/A.pdb", windowsPdb)), "is a Windows PDB"),
            ("truncated", Snupkg(("lib/net10.0/A.pdb", valid[..(valid.Length / 2)])), "is not a readable portable PDB"),
            ("empty", Snupkg(("lib/net10.0/A.pdb", [])), "is not a portable PDB"),
            ("one good one bad", Snupkg(("lib/net10.0/A.pdb", valid), ("lib/net8.0/B.pdb", "x"u8.ToArray())), "B.pdb"),
            ("one id, two contents", Snupkg(("lib/net10.0/A.pdb", valid), ("lib/net8.0/A.pdb", Relabel(valid))), "same PDB id but different content"),
            ("honestly too large", Snupkg(("lib/net10.0/A.pdb", TestPdb.Create(Guid.NewGuid(), "big", padding: 2 * 1024 * 1024))), "too large"),
            ("bomb", new RawZip()
                .Add($"{Id}.nuspec", nuspec, RawZip.Stored, Crc32.Compute(nuspec), (uint)nuspec.Length)
                .Add("lib/net10.0/A.pdb", Deflate(new byte[16 * 1024 * 1024]), RawZip.Deflate, 0, 1024)
                .ToBytes(), "A.pdb"),
        ];

        foreach (var (name, snupkg, reason) in cases)
        {
            using var response = await ReadSideHttp.PushSymbolsAsync(host, snupkg, host.ApiKey);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {response.ReasonPhrase}");
            Assert.True(response.ReasonPhrase!.Contains(reason, StringComparison.Ordinal), $"{name}: {response.ReasonPhrase}");
        }

        Assert.Empty(await SymbolPackages.IndexRowsAsync(host));
        Assert.Empty(await SymbolPackages.BlobsAsync(host));
        Assert.DoesNotContain(await FeedHttp.AllBlobsAsync(host), name => name.Contains("/symbols/", StringComparison.Ordinal));

        byte[] Snupkg(params (string Entry, byte[] Content)[] files) => ReadSideHttp.SymbolPackage(Id, "1.0.0", files).ToBytes();
    }

    [Fact]
    public async Task Concurrent_pushes_of_the_same_symbols_leave_one_entry_and_one_blob()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Race", "1.0.0"));
        var pdb = TestPdb.Create(Guid.NewGuid(), "race");
        var snupkg = ReadSideHttp.SymbolPackage("Contoso.Sym.Race", "1.0.0", ("lib/net10.0/Contoso.Sym.Race.pdb", pdb), ("lib/net8.0/Contoso.Sym.Race.pdb", pdb)).ToBytes();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ReadSideHttp.PushSymbolsAsync(host, snupkg, host.ApiKey)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(await SymbolPackages.BlobsAsync(host));
        Assert.Equal(2, (await SymbolPackages.IndexRowsAsync(host)).Count);
        Assert.Equal(pdb, (await SymbolPackages.ClientFor(pdb, "contoso.sym.race.pdb").GetAsync(host.Client)).Body);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Concurrent_pushes_of_different_symbols_for_one_version_leave_the_index_of_one_of_them()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym.Mix", "1.0.0"));
        var pdbs = Enumerable.Range(0, 3).Select(i => TestPdb.Create(Guid.NewGuid(), $"mix{i}")).ToArray();
        var snupkgs = new[]
        {
            ReadSideHttp.SymbolPackage("Contoso.Sym.Mix", "1.0.0", ("lib/net10.0/A.pdb", pdbs[0]), ("lib/net10.0/B.pdb", pdbs[1])).ToBytes(),
            ReadSideHttp.SymbolPackage("Contoso.Sym.Mix", "1.0.0", ("lib/net10.0/C.pdb", pdbs[2])).ToBytes(),
        };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ReadSideHttp.PushSymbolsAsync(host, snupkgs[i % 2], host.ApiKey)));
        var stored = await FeedHttp.DownloadBlobAsync(host, "contoso.sym.mix/1.0.0/symbols/contoso.sym.mix.1.0.0.snupkg");
        var served = new List<bool>();
        foreach (var (pdb, file) in pdbs.Zip(new[] { "a.pdb", "b.pdb", "c.pdb" }))
        {
            served.Add((await SymbolPackages.ClientFor(pdb, file).GetAsync(host.Client)).Status == HttpStatusCode.OK);
        }

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Array.ForEach(responses, r => r.Dispose());
        var winner = stored.SequenceEqual(snupkgs[0]) ? 0 : 1;
        Assert.Equal(snupkgs[winner], stored);
        Assert.Equal(winner == 0 ? [true, true, false] : [false, false, true], served);
        Assert.Equal(winner == 0 ? 2 : 1, (await SymbolPackages.BlobsAsync(host)).Count);
        Assert.Equal(winner == 0 ? 4 : 2, (await SymbolPackages.IndexRowsAsync(host)).Count);
    }

    /// <summary>The same PDB with a different document name and the same id: another content under one key.</summary>
    private static byte[] Relabel(byte[] pdb)
    {
        var id = new Guid(TestPdb.Key(pdb)[..32]);
        return TestPdb.Create(id, "relabelled");
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new System.IO.Compression.DeflateStream(output, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }
}
