using System.Net;
using System.Text;
using System.Text.Json;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Events;

/// <summary>Requests shaped exactly like the Functions host's invocations of a custom handler.</summary>
public sealed class FunctionEnvelopeTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string QueueEnvelope(string messageJsonString) =>
        "{\"Data\":{\"message\":" + messageJsonString + "}," +
        "\"Metadata\":{\"DequeueCount\":\"2\",\"ExpirationTime\":\"2026-11-28T16:00:00+00:00\",\"Id\":\"3f1c\"," +
        "\"InsertionTime\":\"2026-11-21T16:00:00+00:00\",\"NextVisibleTime\":\"2026-11-21T16:10:00+00:00\",\"PopReceipt\":\"AgAAAA==\"," +
        "\"sys\":{\"MethodName\":\"ProcessPackageEvent\",\"UtcNow\":\"2026-11-21T16:00:01Z\",\"RandGuid\":\"0f0e\"}}}";

    [Fact]
    public async Task Queue_envelope_with_an_event_runs_the_handlers_and_answers_the_invocation_json()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Events:LocalListener"] = "false" });
        var packageEvent = PackageEvent.Create(PackageEventType.Unlisted, "Contoso.Env", "1.0.0", 10, "abc", "ci", DateTimeOffset.UtcNow);

        using var response = await host.Client.PostAsync("/ProcessPackageEvent", Json(QueueEnvelope(JsonSerializer.Serialize(PackageEventJson.Serialize(packageEvent)))));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var audit = host.Services.GetService(typeof(AuditLogHandler)) as AuditLogHandler;
        var recorded = new List<PackageEvent>();
        await foreach (var e in audit!.QueryAsync("Contoso.Env"))
        {
            recorded.Add(e);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Object, body.RootElement.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("ReturnValue").ValueKind);
        Assert.Equal(packageEvent.EventId, Assert.Single(recorded).EventId);
    }

    [Fact]
    public async Task A_message_that_is_not_an_event_fails_the_invocation_so_it_ends_in_poison()
    {
        await using var host = await FeedAppHost.StartAsync(new Dictionary<string, string?> { ["Feed:Events:LocalListener"] = "false" });

        using var notAnEvent = await host.Client.PostAsync("/ProcessPackageEvent", Json(QueueEnvelope("\"{ message: \\\"Message sent\\\" }\"")));
        using var notAnEnvelope = await host.Client.PostAsync("/ProcessPackageEvent", Json("this is not json"));
        using var noData = await host.Client.PostAsync("/ProcessPackageEvent", Json("""{"Metadata":{}}"""));
        using var body = JsonDocument.Parse(await notAnEvent.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, notAnEvent.StatusCode);
        Assert.Contains("not a package event", body.RootElement.GetProperty("Logs")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, notAnEnvelope.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
    }

    [Fact]
    public void Webhook_signature_verifies_and_rejects_tampering_and_stale_timestamps()
    {
        var body = "{\"eventId\":\"1\"}"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        var header = WebhookSignature.Create("s3cret", now.ToUnixTimeSeconds(), body);

        Assert.True(WebhookSignature.Verify("s3cret", header, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", header, "{\"eventId\":\"2\"}"u8.ToArray(), now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("other", header, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", header, body, now.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("s3cret", "garbage", body, now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("ftp://example.test/hook", "secret", null, "http or https")]
    [InlineData("/relative", "secret", null, "absolute")]
    [InlineData("https://example.test/hook", "", null, "Secret")]
    [InlineData("https://example.test/hook", "secret", "package.uploaded,package.exploded", "package.exploded")]
    public void Invalid_webhook_settings_are_refused_with_a_reason(string url, string secret, string? events, string fragment)
    {
        var error = new WebhookOptions { Url = url, Secret = secret, Events = events }.Validate();

        Assert.NotNull(error);
        Assert.Contains(fragment, error);
    }

    [Fact]
    public async Task Webhook_redirects_to_another_host_are_not_followed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        receiver.RedirectTo = other.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var handler = new WebhookHandler(
            [new WebhookOptions { Url = receiver.Url, Secret = Secret }],
            new SingleClientFactory(),
            TimeProvider.System);

        var ex = await Assert.ThrowsAsync<HttpRequestException>(() =>
            handler.HandleAsync(PackageEvent.Create(PackageEventType.Uploaded, "A", "1.0.0", 1, "x", "k", DateTimeOffset.UtcNow), new PackageEventDelivery("m", 1), CancellationToken.None));

        Assert.Contains("another host", ex.Message);
        Assert.Equal(0, other.Attempts);
    }

    private const string Secret = "s";

    private sealed class SingleClientFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new SocketsHttpHandler { AllowAutoRedirect = false });
    }
}
