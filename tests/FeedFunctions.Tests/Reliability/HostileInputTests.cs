using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// A corpus of hostile requests, generated here so each case says what it is: broken and lying zips, zip bombs,
/// hostile entry names, DTD/XXE/entity attacks, oversized and malformed metadata, hostile ids and versions in
/// nuspecs and URLs, malformed multipart, oversized headers, wrong methods. Every case must get its 4xx with a
/// reason phrase, never a 5xx, and must change nothing: one seeded package stays exactly as it was and no other
/// row or blob appears. Memory is measured per case in ways that do not depend on when the GC runs (its gen0 budget
/// follows the CPU's cache size, so uncollected garbage reached 262 MB on one machine and 93 MB on another): what
/// each request allocates, what stays live after a full collection, and the working set, which a collection after
/// every case keeps to live data plus one case's garbage.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const string SeedId = "Contoso.Hostile";
    private const long WorkingSetBudgetBytes = 200L * 1024 * 1024;
    private const long RetainedBudgetBytes = 64L * 1024 * 1024;
    private const long PerRequestAllocationBudgetBytes = 64L * 1024 * 1024;

    public sealed record HostileCase(string Category, string Name, int Expected, Func<FeedAppHost, Task<(int Status, string Reason)>> Send);

    [Fact]
    public async Task Every_hostile_request_gets_its_4xx_with_a_reason_and_changes_nothing()
    {
        var report = new ScenarioReport("hostile input corpus");
        await using var host = await FeedAppHost.StartAsync();
        using (var seed = await FeedHttp.PushAsync(host, TestPackage.Create(SeedId, "1.0.0").ToBytes()))
        {
            Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
        }

        await FeedHttp.WaitForOutboxAsync(host);

        var before = await FeedInvariants.ReadAsync(host.Storage, verifyBytes: false);
        var corpus = Corpus().ToList();
        Assert.True(corpus.Count >= 60, $"the corpus has only {corpus.Count} cases");

        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        process.Refresh();
        var baselineWorkingSet = process.WorkingSet64;
        var baselineHeap = GC.GetTotalMemory(forceFullCollection: true);
        long peakWorkingSet = baselineWorkingSet, peakRetained = baselineHeap, peakAllocated = 0;
        var peakAllocatedCase = "";
        var rounds = Soak.Pick(1, 20);
        var byStatus = new SortedDictionary<int, int>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var c in corpus)
            {
                (int Status, string Reason) result;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                try
                {
                    result = await c.Send(host);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    report.Violation($"{c.Category}/{c.Name}: no HTTP answer ({ex.GetType().Name}: {ex.Message})");
                    continue;
                }

                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                if (allocated > peakAllocated)
                {
                    (peakAllocated, peakAllocatedCase) = (allocated, $"{c.Category}/{c.Name}");
                }

                report.Request();
                report.Failure();
                byStatus[result.Status] = byStatus.GetValueOrDefault(result.Status) + 1;
                if (result.Status != c.Expected || string.IsNullOrWhiteSpace(result.Reason))
                {
                    report.Violation($"{c.Category}/{c.Name}: expected {c.Expected}, got {result.Status} '{result.Reason}'");
                }

                var after = await FeedInvariants.ReadAsync(host.Storage, verifyBytes: false);
                var seedRow = after.Rows.SingleOrDefault(r => r.Id == SeedId);
                if (after.Rows.Count != 1 || after.Blobs != before.Blobs || after.PendingEvents != 0 || seedRow?.Listed != true || seedRow.ETag != before.Rows[0].ETag)
                {
                    report.Violation($"{c.Category}/{c.Name}: state changed (rows={after.Rows.Count}, blobs={after.Blobs}, seed listed={seedRow?.Listed})");
                    report.DataLost++;
                    break;
                }

                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakRetained = Math.Max(peakRetained, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        report.Notes.Add($"cases={corpus.Count} x {rounds} round(s); categories: " +
                         string.Join(", ", corpus.GroupBy(c => c.Category).Select(g => $"{g.Key}={g.Count()}")));
        report.Notes.Add("statuses: " + string.Join(", ", byStatus.Select(s => $"{s.Key} x{s.Value}")));
        report.Notes.Add($"memory: working set +{(peakWorkingSet - baselineWorkingSet) / 1048576} MB peak, " +
                         $"live heap +{(peakRetained - baselineHeap) / 1048576} MB peak, " +
                         $"at most {peakAllocated / 1048576} MB allocated by one request ({peakAllocatedCase})");
        Assert.True(peakWorkingSet - baselineWorkingSet < WorkingSetBudgetBytes, $"working set grew by {(peakWorkingSet - baselineWorkingSet) / 1048576} MB");
        Assert.True(peakRetained - baselineHeap < RetainedBudgetBytes, $"live managed heap grew by {(peakRetained - baselineHeap) / 1048576} MB");
        Assert.True(peakAllocated < PerRequestAllocationBudgetBytes, $"{peakAllocatedCase} allocated {peakAllocated / 1048576} MB");
        report.AssertClean(output);
    }

    /// <summary>
    /// Inputs in the corpus's neighbourhood that are accepted on purpose. "01.0" is a version NuGet's own parser
    /// accepts and normalizes to 1.0.0 (the client would push it), so it is valid here too. A multipart body with
    /// several parts is accepted when its first part is a valid package: the first part is the package, as the
    /// NuGet client sends it, and the rest is never read. A wrong CRC-32 on an entry is not checked: neither .NET's
    /// ZipArchive nor the NuGet client verifies it, so every reader sees the same bytes the feed validated.
    /// </summary>
    [Fact]
    public async Task A_leading_zero_version_is_normalized_and_extra_multipart_parts_are_ignored()
    {
        await using var host = await FeedAppHost.StartAsync();
        var leadingZero = TestPackage.Create("Contoso.Zero", "01.0").ToBytes();
        var first = TestPackage.Create("Contoso.Parts", "1.0.0").ToBytes();

        using var zero = await FeedHttp.PushAsync(host, leadingZero);
        var parts = await PushMultipartAsync(host, "b0undary", Multipart("b0undary", first, Encoding.UTF8.GetBytes("junk"), TestPackage.Create("Contoso.Other", "1.0.0").ToBytes()));
        using var download = await host.Client.GetAsync("/api/v2/package/contoso.zero/1.0.0");
        var crcNuspec = Nuspec("Contoso.Crc", "1.0.0");
        using var badCrc = await FeedHttp.PushAsync(host, new RawZip().Add("Contoso.Crc.nuspec", crcNuspec, RawZip.Stored, 0xDEADBEEF, (uint)crcNuspec.Length).ToBytes());

        Assert.Equal(HttpStatusCode.Created, zero.StatusCode);
        Assert.Equal("1.0.0", (await FeedHttp.FindAsync(host, "Contoso.Zero", "1.0.0"))!.Version);
        Assert.Equal(leadingZero, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(201, parts.Status);
        Assert.NotNull(await FeedHttp.FindAsync(host, "Contoso.Parts", "1.0.0"));
        Assert.Null(await FeedHttp.FindAsync(host, "Contoso.Other", "1.0.0"));
        Assert.Equal(HttpStatusCode.Created, badCrc.StatusCode);
    }

    /// <summary>
    /// Regression: XDocument.Load is quadratic in nesting depth, so a small nuspec of 40,000 nested elements held a
    /// core for tens of seconds per push (100,000 hung the request past the client's timeout). Depth is now
    /// bounded before the document is built.
    /// </summary>
    [Theory]
    [InlineData(20, true)]
    [InlineData(40_000, false)]
    [InlineData(140_000, false)]
    public async Task Deeply_nested_nuspec_is_refused_in_linear_time(int depth, bool accepted)
    {
        const string body = "<metadata><id>Contoso.Deep</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata>";
        var nuspec = $"<package>{body.Replace("</metadata>", string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth)) + "</metadata>")}</package>";
        var package = TestPackage.Create("Contoso.Deep", "1.0.0").WithRawNuspec(nuspec).ToStream();
        var clock = Stopwatch.StartNew();

        var read = Task.Run(() => FeedFunctions.Packages.PackageReader.ReadAsync(package));
        var error = await Record.ExceptionAsync(() => read.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal("The .nuspec nests elements more than 32 deep.", Assert.IsType<FeedFunctions.Packages.InvalidPackageException>(error).Message);
        }
    }

    public static IEnumerable<HostileCase> Corpus()
    {
        var valid = TestPackage.Create("Contoso.Valid", "1.0.0").ToBytes();

        // Broken zips: truncations at the interesting places, and corruptions of the directory records.
        foreach (var length in new[] { 1, 4, 21, 22, 100, valid.Length / 2, valid.Length - 22, valid.Length - 1 })
        {
            yield return Push("zip", $"truncated to {length} bytes", 400, valid[..length]);
        }

        yield return Push("zip", "EOCD signature destroyed", 400, Patch(valid, valid.Length - 22, [0, 0, 0, 0]));
        yield return Push("zip", "central directory offset past the end", 400, new RawZip { DeclaredDirectoryOffset = 0x7FFFFFF0 }.AddStored("a.nuspec", Nuspec("A", "1.0.0")).ToBytes());
        yield return Push("zip", "declares 65535 entries", 400, new RawZip { DeclaredEntryCount = 65535 }.AddStored("a.nuspec", Nuspec("A", "1.0.0")).ToBytes());
        yield return Push("zip", "declares 0 entries", 400, new RawZip { DeclaredEntryCount = 0 }.AddStored("a.nuspec", Nuspec("A", "1.0.0")).ToBytes());
        yield return Push("zip", "random bytes", 400, RandomBytes(8, 4096));
        yield return Push("zip", "64 KB of zeros", 400, new byte[65536]);
        yield return Push("zip", "PNG header", 400, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. RandomBytes(9, 512)]);
        yield return Push("zip", "local headers only, no directory", 400, valid[..FindSignature(valid, 0x02014b50)]);
        yield return Push("zip", "corrupt deflate data in the nuspec", 400, new RawZip().Add("a.nuspec", RandomBytes(10, 300), RawZip.Deflate, 0, 2000).ToBytes());
        yield return Push("zip", "unsupported compression method (LZMA)", 400, new RawZip().Add("a.nuspec", Nuspec("A", "1.0.0"), 14, Crc32.Compute(Nuspec("A", "1.0.0")), (uint)Nuspec("A", "1.0.0").Length).ToBytes());
        yield return Push("zip", "zip inside the zip, no nuspec", 400, new RawZip().AddStored("inner.nupkg", valid).ToBytes());

        // Zip bombs: the nuspec, readme and icon are the only entries ever decompressed, each only up to 1 MiB produced bytes.
        yield return Push("bomb", "nuspec declares 4 GB", 400, new RawZip().Add("a.nuspec", Nuspec("A", "1.0.0"), RawZip.Stored, Crc32.Compute(Nuspec("A", "1.0.0")), uint.MaxValue).ToBytes());
        yield return Push("bomb", "64 MB of deflated zeros declared as 1 KB", 400, new RawZip().Add("a.nuspec", Deflate(new byte[64 * 1024 * 1024]), RawZip.Deflate, 0, 1024).ToBytes());
        yield return Push("bomb", "nuspec of 32 MB whitespace honestly declared", 400,
            new RawZip().Add("a.nuspec", Deflate(Encoding.UTF8.GetBytes(new string(' ', 32 * 1024 * 1024))), RawZip.Deflate, 0, 32 * 1024 * 1024).ToBytes());
        yield return Push("bomb", "stored nuspec larger than declared", 400, new RawZip().Add("a.nuspec", new byte[2 * 1024 * 1024], RawZip.Stored, 0, 100).ToBytes());
        var withReadme = Encoding.UTF8.GetBytes(TestPackage.Create(SeedId, "2.0.0").WithMetadata("readme", "README.md").WithMetadata("icon", "icon.png").GenerateNuspec());
        yield return Push("bomb", "readme: 64 MB of deflated zeros", 400, new RawZip().AddStored("a.nuspec", withReadme)
            .Add("README.md", Deflate(new byte[64 * 1024 * 1024]), RawZip.Deflate, 0, 64 * 1024 * 1024).AddStored("icon.png", TestImages.Png()).ToBytes());
        yield return Push("bomb", "icon: 64 MB of deflated zeros", 400, new RawZip().AddStored("a.nuspec", withReadme)
            .AddStored("README.md", "# x"u8.ToArray()).Add("icon.png", Deflate(new byte[64 * 1024 * 1024]), RawZip.Deflate, 0, 64 * 1024 * 1024).ToBytes());

        // Entry names that would escape a folder or confuse a path parser.
        foreach (var (name, entry) in new[]
                 {
                     ("parent segment", "../evil.nuspec"), ("nested parent segments", "lib/../../evil.dll"), ("absolute path", "/evil.nuspec"),
                     ("drive letter", "C:/evil.nuspec"), ("backslash", @"lib\..\evil.dll"), ("empty segment", "lib//evil.dll"),
                     ("dot segment", "./evil.nuspec"), ("control character", "lib/evil\u0007.dll"), ("NUL character", "lib/evil\0.dll"),
                 })
        {
            yield return Push("entry name", name, 400, TestPackage.Create(SeedId, "2.0.0").WithFile(entry, "x").ToBytes());
        }

        // XML attacks and malformed nuspecs.
        const string body = "<metadata><id>Contoso.Xml</id><version>1.0.0</version><authors>a</authors><description>d</description></metadata>";
        yield return NuspecCase("xml", "XXE file entity", $"<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><package>{body.Replace("<authors>a", "<authors>&xxe;")}</package>");
        yield return NuspecCase("xml", "XXE http entity", $"<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY xxe SYSTEM \"http://127.0.0.1:1/x\">]><package>{body.Replace("<authors>a", "<authors>&xxe;")}</package>");
        yield return NuspecCase("xml", "external DTD", $"<?xml version=\"1.0\"?><!DOCTYPE package SYSTEM \"http://127.0.0.1:1/nuspec.dtd\"><package>{body}</package>");
        yield return NuspecCase("xml", "parameter entity", $"<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><package>{body}</package>");
        yield return NuspecCase("xml", "billion laughs", BillionLaughs(body));
        yield return NuspecCase("xml", "quadratic blowup", $"<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY a \"{new string('a', 50_000)}\">]><package>{body.Replace("<authors>a", "<authors>" + string.Concat(Enumerable.Repeat("&a;", 10_000)))}</package>");
        yield return NuspecCase("xml", "invalid UTF-8", [.. Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?><package><metadata><id>Contoso."), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("</id></metadata></package>")]);
        yield return NuspecCase("xml", "UTF-16 declared, UTF-8 bytes", $"<?xml version=\"1.0\" encoding=\"utf-16\"?><package>{body}</package>");
        yield return NuspecCase("xml", "unknown encoding", $"<?xml version=\"1.0\" encoding=\"x-no-such-encoding\"?><package>{body}</package>");
        yield return NuspecCase("xml", "100k nested elements", $"<package>{body.Replace("</metadata>", string.Concat(Enumerable.Repeat("<x>", 100_000)) + string.Concat(Enumerable.Repeat("</x>", 100_000)) + "</metadata>")}</package>");
        yield return NuspecCase("xml", "NUL character reference", $"<package>{body.Replace("<authors>a", "<authors>&#0;")}</package>");
        yield return NuspecCase("xml", "not XML at all", "{\"id\":\"Contoso.Json\"}");
        yield return NuspecCase("xml", "two root elements", $"<package>{body}</package><package>{body}</package>");

        // Huge values: attributes and metadata over their limits, and metadata that is valid field by field but large in total.
        var huge = new string('x', 600_000);
        yield return Push("huge", "dependency version attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithDependency("net8.0", "Other.Lib", "[1.0.0, " + huge + ")").ToBytes());
        yield return Push("huge", "targetFramework attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithDependency(huge, "Other.Lib", "1.0.0").ToBytes());
        yield return Push("huge", "dependency id attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithDependency("net8.0", huge, "1.0.0").ToBytes());
        yield return Push("huge", "license type attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithMetadataXml($"<license type=\"{huge}\">MIT</license>").ToBytes());
        yield return Push("huge", "repository url attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithMetadataXml($"<repository type=\"git\" url=\"https://x/{huge}\" />").ToBytes());
        yield return Push("huge", "packageType name attribute 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithMetadataXml($"<packageTypes><packageType name=\"{huge}\" /></packageTypes>").ToBytes());
        yield return Push("huge", "description 600 KB", 400, TestPackage.Create(SeedId, "2.0.0").WithDescription(huge).ToBytes());
        yield return Push("huge", "nuspec just over 1 MiB", 400, TestPackage.Create(SeedId, "2.0.0").WithMetadataXml($"<!-- {new string('c', 1024 * 1024)} -->").ToBytes());

        // Hostile ids and versions inside the nuspec.
        foreach (var (name, id) in new[]
                 {
                     ("id ..", ".."), ("id with /", "Contoso/Lib"), ("id with %2F", "Contoso%2FLib"), ("id with ..", "Contoso..Lib"),
                     ("Cyrillic look-alike id", "C\u043Entoso.Hostile"), ("zero-width space in id", "Contoso.Hostile\u200B"),
                     ("fullwidth id", "\uFF23ontoso.Hostile"), ("Turkish dotted I in id", "Contoso.Host\u0130le"), ("101-character id", new string('a', 101)),
                     ("empty id", ""), ("id with an inner newline", "Contoso.\nHostile"),
                 })
        {
            yield return Push("nuspec id", name, 400, TestPackage.Create(id, "1.0.0").ToBytes());
        }

        foreach (var (name, version) in new[]
                 {
                     ("version 1.0.0-", "1.0.0-"), ("65-character version", "1.0.0-" + new string('a', 59)), ("version 1.0.0.0.0", "1.0.0.0.0"),
                     ("version v1.0", "v1.0"), ("floating version", "1.0.*"), ("empty version", ""), ("version with leading zero label", "1.0.0-01"),
                 })
        {
            yield return Push("nuspec version", name, 400, TestPackage.Create(SeedId, version).ToBytes());
        }

        // Hostile ids and versions in the DELETE (unlist) and POST (relist) URLs; the seeded package must not move.
        foreach (var method in new[] { "DELETE", "POST" })
        {
            foreach (var (name, path, expected) in new[]
                     {
                         ("raw .. as id", "/api/v2/package/../1.0.0", 404),
                         // Kestrel decodes %2E and removes the dot segment before routing, like a raw "..".
                         ("%2E%2E as id", "/api/v2/package/%2E%2E/1.0.0", 404),
                         ("id with %2F", $"/api/v2/package/Contoso%2F{SeedId}/1.0.0", 400),
                         ("id with /", $"/api/v2/package/Contoso/{SeedId}/1.0.0", 404),
                         ("Cyrillic look-alike id", "/api/v2/package/C%D0%BEntoso.Hostile/1.0.0", 400),
                         ("zero-width space in id", $"/api/v2/package/{SeedId}%E2%80%8B/1.0.0", 400),
                         ("101-character id", $"/api/v2/package/{new string('a', 101)}/1.0.0", 400),
                         ("NUL in id", $"/api/v2/package/{SeedId}%00/1.0.0", 400),
                         ("version 1.0.0-", $"/api/v2/package/{SeedId}/1.0.0-", 400),
                         ("65-character version", $"/api/v2/package/{SeedId}/1.0.0-{new string('a', 59)}", 400),
                     })
            {
                yield return Raw("url", $"{method} {name}", expected, $"{method} {path} HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: {{key}}\r\nContent-Length: 0\r\n\r\n");
            }
        }

        // Multipart framing.
        yield return Body("multipart", "no boundary", 400, "multipart/form-data", Multipart("b", valid));
        yield return Body("multipart", "wrong boundary", 400, "multipart/form-data; boundary=other", Multipart("b", valid));
        yield return Body("multipart", "empty boundary", 400, "multipart/form-data; boundary=\"\"", Multipart("b", valid));
        yield return Body("multipart", "boundary over 70 characters", 400, $"multipart/form-data; boundary={new string('b', 71)}", Multipart(new string('b', 71), valid));
        yield return Body("multipart", "10 MB preamble", 400, "multipart/form-data; boundary=b", [.. new byte[10 * 1024 * 1024], .. Multipart("b", valid)]);
        yield return Body("multipart", "part headers over 16 KB", 400, "multipart/form-data; boundary=b",
            Multipart("b", [valid], $"X-Filler: {new string('f', 20_000)}\r\n"));
        yield return Body("multipart", "more than 16 part headers", 400, "multipart/form-data; boundary=b",
            Multipart("b", [valid], string.Concat(Enumerable.Range(0, 20).Select(i => $"X-H{i}: v\r\n"))));
        yield return Body("multipart", "first part empty", 400, "multipart/form-data; boundary=b", Multipart("b", [], valid));
        yield return Body("multipart", "first of many parts invalid", 400, "multipart/form-data; boundary=b", Multipart("b", Encoding.UTF8.GetBytes("junk"), valid, valid));
        yield return Body("multipart", "no closing boundary", 400, "multipart/form-data; boundary=b", Encoding.ASCII.GetBytes("--b\r\nContent-Type: application/octet-stream\r\n\r\n").Concat(valid).ToArray());
        yield return Body("multipart", "no parts at all", 400, "multipart/form-data; boundary=b", Encoding.ASCII.GetBytes("--b--\r\n"));
        yield return Body("multipart", "malformed Content-Type", 400, "multipart/form-data; boundary", Multipart("b", valid));
        yield return Body("content type", "application/json", 415, "application/json", valid);
        yield return Body("content type", "text/plain", 415, "text/plain", valid);

        // HTTP-level limits and wrong methods (Kestrel's own 32 KB header limit and 100 header count).
        yield return Raw("http", "one header of 40 KB", 431, $"PUT /api/v2/package HTTP/1.1\r\nHost: x\r\nX-Filler: {new string('h', 40 * 1024)}\r\nContent-Length: 0\r\n\r\n");
        yield return Raw("http", "API key header of 100 KB", 431, $"PUT /api/v2/package HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: {new string('k', 100 * 1024)}\r\nContent-Length: 0\r\n\r\n");
        yield return Raw("http", "150 headers", 431, "PUT /api/v2/package HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n")) + "Content-Length: 0\r\n\r\n");
        yield return Raw("http", "Content-Length over the package limit", 413, "PUT /api/v2/package HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: {key}\r\nContent-Type: application/octet-stream\r\nContent-Length: 999999999999\r\n\r\nPK");
        yield return Raw("http", "malformed chunked framing", 400, "PUT /api/v2/package HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: {key}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");
        // Kestrel reads header bytes as Latin-1, so the key arrives and is simply unknown.
        yield return Raw("http", "non-ASCII bytes in the API key", 403, "PUT /api/v2/package HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: k\u00e9y\u00ff\r\nContent-Length: 0\r\n\r\n");
        yield return Raw("http", "garbage request line", 400, "PUT\t/api/v2/package\tHTTP/9.9\r\n\r\n");
        foreach (var (method, path) in new[]
                 {
                     ("PATCH", "/api/v2/package"), ("GET", "/api/v2/package"), ("DELETE", "/api/v2/package"), ("OPTIONS", "/api/v2/package"),
                     ("PUT", $"/api/v2/package/{SeedId}/1.0.0"), ("PATCH", $"/api/v2/package/{SeedId}/1.0.0"),
                 })
        {
            // No function takes that method there: 404, as from the Functions host, whose router has no 405 (the
            // in-process host maps the catch-all page the way the host tries it). GET gets the catch-all's reason.
            yield return Raw("method", $"{method} {path}", 404, $"{method} {path} HTTP/1.1\r\nHost: x\r\nX-NuGet-ApiKey: {{key}}\r\nContent-Length: 0\r\n\r\n");
        }

        yield return PushWithKey("key", "5000-character API key", 403, new string('k', 5000), valid);
        yield return PushWithKey("key", "nfk_ prefix with a forged id", 403, "nfk_aaaaaaaaaaaa_" + new string('s', 43), valid);
    }

    private static HostileCase Push(string category, string name, int expected, byte[] package) =>
        new(category, name, expected, async host =>
        {
            using var response = await FeedHttp.PushAsync(host, package, sessionId: Guid.NewGuid().ToString());
            return ((int)response.StatusCode, response.ReasonPhrase ?? string.Empty);
        });

    private static HostileCase PushWithKey(string category, string name, int expected, string key, byte[] package) =>
        new(category, name, expected, async host =>
        {
            using var response = await FeedHttp.PushAsync(host, package, apiKey: key);
            return ((int)response.StatusCode, response.ReasonPhrase ?? string.Empty);
        });

    private static HostileCase NuspecCase(string category, string name, string nuspec) =>
        NuspecCase(category, name, Encoding.UTF8.GetBytes(nuspec));

    private static HostileCase NuspecCase(string category, string name, byte[] nuspec) =>
        Push(category, name, 400, TestPackage.Create("Contoso.Xml", "1.0.0").WithRawNuspec(nuspec).ToBytes());

    private static HostileCase Body(string category, string name, int expected, string contentType, byte[] body) =>
        new(category, name, expected, async host =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, host.PushUrl + "/") { Content = new ByteArrayContent(body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Headers.Add("X-NuGet-ApiKey", host.ApiKey);
            using var response = await host.Client.SendAsync(request);
            return ((int)response.StatusCode, response.ReasonPhrase ?? string.Empty);
        });

    /// <summary>{key} in the head is replaced by the host's key, so a refusal is about the input, not the key.</summary>
    private static HostileCase Raw(string category, string name, int expected, string head) =>
        new(category, name, expected, async host =>
        {
            var response = await RawHttp.SendAsync(host.BaseUrl, Encoding.UTF8.GetBytes(head.Replace("{key}", host.ApiKey, StringComparison.Ordinal)));
            return (response.Status, response.Reason);
        });

    private static async Task<(int Status, string Reason)> PushMultipartAsync(FeedAppHost host, string boundary, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, host.PushUrl + "/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        request.Headers.Add("X-NuGet-ApiKey", host.ApiKey);
        using var response = await host.Client.SendAsync(request);
        return ((int)response.StatusCode, response.ReasonPhrase ?? string.Empty);
    }

    private static byte[] Multipart(string boundary, params byte[][] parts) => Multipart(boundary, parts, string.Empty);

    private static byte[] Multipart(string boundary, byte[][] parts, string extraHeaders)
    {
        var output = new MemoryStream();
        foreach (var part in parts)
        {
            output.Write(Encoding.ASCII.GetBytes(
                $"--{boundary}\r\nContent-Disposition: form-data; name=\"package\"; filename=\"package.nupkg\"\r\n" +
                $"Content-Type: application/octet-stream\r\n{extraHeaders}\r\n"));
            output.Write(part);
            output.Write("\r\n"u8);
        }

        output.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return output.ToArray();
    }

    private static byte[] Nuspec(string id, string version) =>
        Encoding.UTF8.GetBytes(TestPackage.Create(id, version).GenerateNuspec());

    private static string BillionLaughs(string body)
    {
        var dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            dtd.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        }

        return dtd.Append("]><package>").Append(body.Replace("<authors>a", "<authors>&lol9;")).Append("</package>").ToString();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Patch(byte[] source, int at, byte[] replacement)
    {
        var copy = source.ToArray();
        replacement.CopyTo(copy, at);
        return copy;
    }

    private static int FindSignature(byte[] data, uint signature)
    {
        for (var i = 0; i + 4 <= data.Length; i++)
        {
            if (BitConverter.ToUInt32(data, i) == signature)
            {
                return i;
            }
        }

        throw new InvalidOperationException("signature not found");
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
