namespace FeedFunctions.Events;

/// <summary>One <c>Feed:Webhooks:N</c> entry.</summary>
public sealed class WebhookOptions
{
    public string Url { get; set; } = string.Empty;

    /// <summary>HMAC-SHA256 key for the X-Feed-Signature header. Required: receivers must be able to verify.</summary>
    public string Secret { get; set; } = string.Empty;

    /// <summary>Comma-separated event types to send (e.g. "package.uploaded,package.deleted"); empty = all.</summary>
    public string? Events { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Accepts(string eventType) =>
        string.IsNullOrWhiteSpace(Events)
        || Events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(eventType, StringComparer.OrdinalIgnoreCase);

    public string? Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"Webhook URL '{Url}' must be an absolute http or https URL.";
        }

        if (string.IsNullOrEmpty(Secret))
        {
            return $"Webhook '{uri.Host}' needs a Secret so receivers can verify the signature.";
        }

        var unknown = (Events ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(e => !PackageEventType.All.Contains(e, StringComparer.OrdinalIgnoreCase));
        return unknown is null ? null : $"Webhook event filter '{unknown}' is not one of {string.Join(", ", PackageEventType.All)}.";
    }
}
