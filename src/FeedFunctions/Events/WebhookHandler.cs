using System.Net.Http.Headers;
using System.Text;

namespace FeedFunctions.Events;

/// <summary>
/// POSTs each event's JSON to the configured webhooks, signed (see <see cref="WebhookSignature"/>). Redirects are
/// followed only on the same scheme, host and port (at most 3), so a webhook cannot bounce the signed payload
/// elsewhere. Any non-2xx fails the invocation and the event is retried.
/// </summary>
public sealed class WebhookHandler(IReadOnlyList<WebhookOptions> webhooks, IHttpClientFactory clients, TimeProvider time) : IPackageEventHandler
{
    public const string ClientName = "webhooks";
    private const int MaxRedirects = 3;

    public string Name => "webhooks";

    public async Task HandleAsync(PackageEvent packageEvent, PackageEventDelivery delivery, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(PackageEventJson.Serialize(packageEvent));
        var failures = new List<string>();
        foreach (var webhook in webhooks.Where(w => w.Accepts(packageEvent.Type)))
        {
            try
            {
                await SendAsync(webhook, packageEvent, body, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{new Uri(webhook.Url).Host}: {ex.Message}");
            }
        }

        if (failures.Count > 0)
        {
            throw new HttpRequestException("Webhook delivery failed: " + string.Join("; ", failures));
        }
    }

    private async Task SendAsync(WebhookOptions webhook, PackageEvent packageEvent, byte[] body, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        var origin = new Uri(webhook.Url);
        var target = origin;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(webhook.Timeout);
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add("X-Feed-Event-Id", packageEvent.EventId);
            request.Headers.Add("X-Feed-Event-Type", packageEvent.Type);
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Create(webhook.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location && hop < MaxRedirects)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(target, location);
                if (next.Scheme != origin.Scheme || next.Host != origin.Host || next.Port != origin.Port)
                {
                    throw new HttpRequestException($"refused redirect from {origin.Host} to another host ({next.Host})");
                }

                target = next;
                continue;
            }

            throw new HttpRequestException($"answered {status} {response.ReasonPhrase}");
        }
    }
}
