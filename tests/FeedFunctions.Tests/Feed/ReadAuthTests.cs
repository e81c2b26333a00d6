using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FeedFunctions.Auth;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Feed;

public sealed class ReadAuthTests
{
    private static readonly string[] ReadPaths =
    [
        "/v3/index.json",
        "/v3/flatcontainer/contoso.auth/index.json",
        "/v3/flatcontainer/contoso.auth/1.0.0/contoso.auth.1.0.0.nupkg",
        "/v3/flatcontainer/contoso.auth/1.0.0/contoso.auth.nuspec",
        "/v3/registration/contoso.auth/index.json",
        "/v3/registration/contoso.auth/1.0.0.json",
        "/v3/search?q=contoso",
        "/v3/autocomplete?q=contoso",
        "/api/v2/package/Contoso.Auth/1.0.0",
        "/V3/FlatContainer/contoso.auth/index.json",
        "/v3/no-such-route",
        "/",
        "/packages",
        "/packages?q=contoso",
        "/packages/Contoso.Auth",
        "/packages/Contoso.Auth/1.0.0",
        "/assets/site.css",
        "/no-such-page",
    ];

    private static async Task<HttpResponseMessage> GetAsync(FeedAppHost host, string path, AuthenticationHeaderValue? authorization = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, host.BaseUrl + path);
        request.Headers.Authorization = authorization;
        if (apiKey is not null)
        {
            request.Headers.Add("X-NuGet-ApiKey", apiKey);
        }

        return await host.Client.SendAsync(request);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    [Fact]
    public async Task Every_read_route_and_page_demands_a_read_key_and_the_health_probe_stays_open()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:RequireReadAuth"] = "true" });
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Auth", "1.0.0"));
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        var (_, readKey) = await store.CreateAsync("reader", ApiKeyScopes.Read, [], DateTimeOffset.UtcNow.AddDays(1));
        var (_, pushKey) = await store.CreateAsync("pusher", ApiKeyScopes.Push, [], DateTimeOffset.UtcNow.AddDays(1));

        foreach (var path in ReadPaths)
        {
            using var anonymous = await GetAsync(host, path);
            Assert.True(anonymous.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {anonymous.StatusCode}");
            Assert.Equal("Basic realm=\"feed\"", anonymous.Headers.WwwAuthenticate.ToString());

            using var basic = await GetAsync(host, path, Basic("anyone", readKey));
            var expected = path.Contains("no-such", StringComparison.Ordinal) ? HttpStatusCode.NotFound : HttpStatusCode.OK;
            Assert.True(basic.StatusCode == expected, $"{path}: {basic.StatusCode}");
            if (path.EndsWith(".nupkg", StringComparison.Ordinal) || path.EndsWith(".nuspec", StringComparison.Ordinal) || path.StartsWith("/api/v2/package/", StringComparison.Ordinal))
            {
                // A private feed's files must not be kept by shared caches, which would serve them without a key.
                Assert.True(basic.Headers.CacheControl is { Private: true, Public: false }, $"{path}: Cache-Control {basic.Headers.CacheControl}");
            }
        }

        using var header = await GetAsync(host, "/v3/index.json", apiKey: readKey);
        using var fullAccess = await GetAsync(host, "/v3/index.json", Basic("", host.ApiKey));
        using var wrongPassword = await GetAsync(host, "/v3/index.json", Basic("user", "wrong"));
        using var malformed = await GetAsync(host, "/v3/index.json", new AuthenticationHeaderValue("Basic", "%%%"));
        using var noReadScope = await GetAsync(host, "/v3/index.json", Basic("user", pushKey));
        using var health = await GetAsync(host, "/api/health");
        using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Auth", "2.0.0").ToBytes());

        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fullAccess.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noReadScope.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
    }

    [Fact]
    public async Task Read_routes_are_open_by_default()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Open", "1.0.0"));

        using var index = await GetAsync(host, "/v3/index.json");
        using var missing = await GetAsync(host, "/v3/flatcontainer/contoso.none/index.json");
        using var nupkg = await GetAsync(host, "/v3/flatcontainer/contoso.open/1.0.0/contoso.open.1.0.0.nupkg");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nupkg.StatusCode);
        Assert.Equal("public, max-age=300", nupkg.Headers.CacheControl?.ToString());
    }
}
