using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Advisories;

/// <summary>The management API's calls, as a pipeline would send them.</summary>
internal static class AdvisoryHttp
{
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(IFeedUnderTest host, HttpMethod method, string path, string? apiKey, string? json = null)
    {
        using var request = new HttpRequestMessage(method, host.BaseUrl + path);
        if (apiKey is not null)
        {
            request.Headers.Add("X-NuGet-ApiKey", apiKey);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<(HttpStatusCode Status, string Body)> DeprecateAsync(IFeedUnderTest host, string id, string versions, string json, string? apiKey = null) =>
        SendAsync(host, HttpMethod.Put, $"/api/v2/package/{id}/{Uri.EscapeDataString(versions)}/deprecation", apiKey ?? host.ApiKey, json);

    public static Task<(HttpStatusCode Status, string Body)> UndeprecateAsync(IFeedUnderTest host, string id, string versions, string? apiKey = null) =>
        SendAsync(host, HttpMethod.Delete, $"/api/v2/package/{id}/{Uri.EscapeDataString(versions)}/deprecation", apiKey ?? host.ApiKey);

    public static Task<(HttpStatusCode Status, string Body)> AddAdvisoryAsync(
        IFeedUnderTest host, string id, string versions, object severity, string url, string? apiKey = null) =>
        SendAsync(host, HttpMethod.Post, "/api/v2/advisories", apiKey ?? host.ApiKey, new JsonObject
        {
            ["packageId"] = id,
            ["versions"] = versions,
            ["severity"] = severity is int number ? JsonValue.Create(number) : JsonValue.Create(severity.ToString()),
            ["url"] = url,
        }.ToJsonString());

    /// <summary>Adds an advisory that must be accepted; returns its id.</summary>
    public static async Task<string> AddAdvisoryOkAsync(IFeedUnderTest host, string id, string versions, object severity, string url)
    {
        var (status, body) = await AddAdvisoryAsync(host, id, versions, severity, url);
        Assert.True(status == HttpStatusCode.Created, $"{(int)status}: {body}");
        return JsonNode.Parse(body)!["advisoryId"]!.GetValue<string>();
    }

    public static Task<(HttpStatusCode Status, string Body)> RemoveAdvisoryAsync(IFeedUnderTest host, string advisoryId, string? apiKey = null) =>
        SendAsync(host, HttpMethod.Delete, $"/api/v2/advisories/{advisoryId}", apiKey ?? host.ApiKey);
}
