using System.Net;
using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Feed;

/// <summary>Pushes and JSON reads for the read-side tests.</summary>
internal static class ReadSideHttp
{
    public static async Task PushAsync(IFeedUnderTest host, TestPackage package)
    {
        using var response = await FeedHttp.PushAsync(host, package.ToBytes());
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"push {package.Id} {package.Version}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    public static async Task UnlistAsync(IFeedUnderTest host, string id, string version)
    {
        using var response = await FeedHttp.SendAsync(host, HttpMethod.Delete, $"/api/v2/package/{id}/{version}", host.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>A .snupkg holding one real portable PDB, whose id and document follow from the arguments.</summary>
    public static TestPackage SymbolPackage(string id, string version, string pdbContent = "pdb") =>
        SymbolPackage(id, version, ($"lib/net10.0/{id}.pdb", TestPdb.Create(DerivedGuid($"{id}|{version}|{pdbContent}".ToLowerInvariant()), pdbContent)));

    /// <summary>A .snupkg (SymbolsPackage type) holding exactly the given entries.</summary>
    public static TestPackage SymbolPackage(string id, string version, params (string Entry, byte[] Content)[] files)
    {
        var package = TestPackage.Create(id, version).WithMetadataXml("<packageTypes><packageType name=\"SymbolsPackage\" /></packageTypes>");
        foreach (var (entry, content) in files)
        {
            package = package.WithFile(entry, content);
        }

        return package;
    }

    private static Guid DerivedGuid(string seed) => new(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16));

    /// <summary>Multipart, as the client sends it, to the symbol route.</summary>
    public static async Task<HttpResponseMessage> PushSymbolsAsync(IFeedUnderTest host, byte[] snupkg, string? apiKey)
    {
        using var request = FeedHttp.PushRequest(host, snupkg, apiKey ?? "unused");
        request.RequestUri = new Uri(host.BaseUrl + "/api/v2/symbolpackage/");
        if (apiKey is null)
        {
            request.Headers.Remove("X-NuGet-ApiKey");
        }

        return await host.Client.SendAsync(request);
    }

    public static async Task<JsonObject> GetJsonAsync(IFeedUnderTest host, string pathOrUrl, params (string Name, string Value)[] headers)
    {
        var (status, json) = await TryGetJsonAsync(host, pathOrUrl, headers);
        Assert.True(status == HttpStatusCode.OK, $"GET {pathOrUrl}: {(int)status}");
        return json!;
    }

    public static async Task<(HttpStatusCode Status, JsonObject? Json)> TryGetJsonAsync(
        IFeedUnderTest host, string pathOrUrl, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathOrUrl.StartsWith("http", StringComparison.Ordinal) ? pathOrUrl : host.BaseUrl + pathOrUrl);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await host.Client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, null);
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    public static List<string> Strings(JsonNode? array) =>
        array!.AsArray().Select(n => n!.GetValue<string>()).ToList();
}
