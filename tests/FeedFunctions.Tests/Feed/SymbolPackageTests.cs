using System.Net;
using FeedFunctions.Auth;
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
}
