using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FeedFunctions.Auth;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Feed;

public sealed class SymbolPackageTests
{
    private const string BlobName = "contoso.sym/1.0.0-beta/symbols/contoso.sym.1.0.0-beta.snupkg";

    [Fact]
    public async Task Stores_a_snupkg_for_a_pushed_version_and_a_repush_replaces_it()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym", "1.0.0-Beta"));
        var first = ReadSideHttp.SymbolPackage("Contoso.Sym", "1.0.0-Beta", "first").ToBytes();
        var second = ReadSideHttp.SymbolPackage("contoso.sym", "1.0.0-beta", "second").ToBytes();

        using var created = await ReadSideHttp.PushSymbolsAsync(host, first, host.ApiKey);
        var storedFirst = await FeedHttp.DownloadBlobAsync(host, BlobName);
        using var replaced = await ReadSideHttp.PushSymbolsAsync(host, second, host.ApiKey);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(first, storedFirst);
        Assert.Equal(HttpStatusCode.Created, replaced.StatusCode);
        Assert.Equal(second, await FeedHttp.DownloadBlobAsync(host, BlobName));
        Assert.Single(await FeedHttp.AllRowsAsync(host));
    }

    [Fact]
    public async Task Refuses_unknown_versions_non_symbol_packages_and_bad_keys()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Sym", "1.0.0-beta"));
        var (_, otherGlob) = await host.Services.GetRequiredService<ApiKeyStore>()
            .CreateAsync("fabrikam", ApiKeyScopes.Push, ["Fabrikam.*"], DateTimeOffset.UtcNow.AddDays(1));
        var symbols = ReadSideHttp.SymbolPackage("Contoso.Sym", "1.0.0-beta").ToBytes();

        using var unknownVersion = await ReadSideHttp.PushSymbolsAsync(host, ReadSideHttp.SymbolPackage("Contoso.Sym", "2.0.0").ToBytes(), host.ApiKey);
        using var notSymbols = await ReadSideHttp.PushSymbolsAsync(host, TestPackage.Create("Contoso.Sym", "1.0.0-beta").ToBytes(), host.ApiKey);
        using var notZip = await ReadSideHttp.PushSymbolsAsync(host, "not a zip"u8.ToArray(), host.ApiKey);
        using var noKey = await ReadSideHttp.PushSymbolsAsync(host, symbols, apiKey: null);
        using var wrongKey = await ReadSideHttp.PushSymbolsAsync(host, symbols, "wrong");
        using var wrongGlob = await ReadSideHttp.PushSymbolsAsync(host, symbols, otherGlob);

        Assert.Equal(HttpStatusCode.NotFound, unknownVersion.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notSymbols.StatusCode);
        Assert.Contains("SymbolsPackage", notSymbols.ReasonPhrase);
        Assert.Equal(HttpStatusCode.BadRequest, notZip.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongGlob.StatusCode);
        Assert.DoesNotContain(await FeedHttp.AllBlobsAsync(host), name => name.Contains("/symbols/", StringComparison.Ordinal));
    }

    // dotnet pack writes a .snupkg whose nuspec has no <authors>; checked by the .nupkg rules it was refused, and
    // dotnet nuget push (which sends the .snupkg right after the .nupkg) failed every pipeline that publishes symbols.
    [Fact]
    public async Task Dotnet_nuget_push_sends_the_snupkg_dotnet_pack_made_and_the_feed_stores_it()
    {
        await using var host = await FeedAppHost.StartAsync();
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var (package, symbols) = await PackedPackages.WithSymbolsAsync();

        var push = await cli.PushAsync(package, host.ApiKey);

        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains(".snupkg", push.Output);
        Assert.NotNull(await FeedHttp.FindAsync(host, PackedPackages.Id, PackedPackages.Version));
        Assert.Equal(
            await File.ReadAllBytesAsync(symbols),
            await FeedHttp.DownloadBlobAsync(host, PackageBlobNames.SymbolPackage("contoso.packed", PackedPackages.Version)));
    }

    [Fact]
    public async Task Refuses_a_dotnet_pack_snupkg_for_an_unknown_version_or_holding_a_dll_or_without_its_type()
    {
        await using var host = await FeedAppHost.StartAsync();
        var (package, symbols) = await PackedPackages.WithSymbolsAsync();
        var snupkg = await File.ReadAllBytesAsync(symbols);

        using var unknownVersion = await ReadSideHttp.PushSymbolsAsync(host, snupkg, host.ApiKey);
        using (var pushed = await FeedHttp.PushAsync(host, await File.ReadAllBytesAsync(package)))
        {
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        }

        using var withDll = await ReadSideHttp.PushSymbolsAsync(host, Rewrite(snupkg, addDll: true), host.ApiKey);
        using var withoutType = await ReadSideHttp.PushSymbolsAsync(host, Rewrite(snupkg, removeSymbolsType: true), host.ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, unknownVersion.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withDll.StatusCode);
        Assert.Contains("Contoso.Packed.dll", withDll.ReasonPhrase);
        Assert.Contains(".pdb", withDll.ReasonPhrase);
        Assert.Equal(HttpStatusCode.BadRequest, withoutType.StatusCode);
        Assert.Contains("SymbolsPackage", withoutType.ReasonPhrase);
        Assert.DoesNotContain(await FeedHttp.AllBlobsAsync(host), name => name.Contains("/symbols/", StringComparison.Ordinal));
    }

    /// <summary>A copy of a real .snupkg with a .dll added beside its .pdb, or its nuspec declaring another package type.</summary>
    private static byte[] Rewrite(byte[] snupkg, bool addDll = false, bool removeSymbolsType = false)
    {
        using var output = new MemoryStream();
        output.Write(snupkg);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Update, leaveOpen: true))
        {
            if (addDll)
            {
                var pdb = zip.Entries.Single(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)).FullName;
                using var dll = zip.CreateEntry(Path.ChangeExtension(pdb, ".dll")).Open();
                dll.Write("MZ"u8);
            }

            if (removeSymbolsType)
            {
                var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
                string text;
                using (var reader = new StreamReader(nuspec.Open()))
                {
                    text = reader.ReadToEnd();
                }

                var name = nuspec.FullName;
                nuspec.Delete();
                var replaced = Regex.Replace(text, "<packageTypes>.*</packageTypes>", "<packageTypes><packageType name=\"Dependency\" /></packageTypes>", RegexOptions.Singleline);
                Assert.NotEqual(text, replaced);
                using var writer = zip.CreateEntry(name).Open();
                writer.Write(Encoding.UTF8.GetBytes(replaced));
            }
        }

        return output.ToArray();
    }
}
