using Microsoft.Extensions.Primitives;

namespace FeedFunctions.Feed;

/// <summary>
/// The absolute base URL that V3 documents link to. The NuGet client skips service-index entries whose @id is
/// not absolute, and behind the Functions host the app only sees the proxy's loopback address, so the public
/// scheme/host/prefix come from <c>Feed:PublicBaseUrl</c> or the X-Forwarded-* headers the host's proxy adds.
/// </summary>
public static class FeedBaseUrl
{
    public static string Resolve(HttpRequest request, FeedOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl))
        {
            return options.PublicBaseUrl.Trim().TrimEnd('/');
        }

        var scheme = FirstValue(request.Headers["X-Forwarded-Proto"]) is { } proto && IsHttpScheme(proto) ? proto.ToLowerInvariant() : request.Scheme;
        var host = FirstValue(request.Headers["X-Forwarded-Host"]) is { } forwardedHost && IsHost(forwardedHost) ? forwardedHost : request.Host.Value;
        var prefix = FirstValue(request.Headers["X-Forwarded-Prefix"]) is { } forwardedPrefix && IsPrefix(forwardedPrefix)
            ? forwardedPrefix
            : request.PathBase.Value;
        return $"{scheme}://{host}{prefix?.TrimEnd('/')}";
    }

    /// <summary>Proxies append to these headers; the first entry is the one the client connected to.</summary>
    private static string? FirstValue(StringValues values)
    {
        var first = values.Count > 0 ? values[0] : null;
        var value = first?.Split(',')[0].Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static bool IsHttpScheme(string value) =>
        value.Equals("http", StringComparison.OrdinalIgnoreCase) || value.Equals("https", StringComparison.OrdinalIgnoreCase);

    // The header ends up in every link we emit, so only a plain host[:port] is taken from it.
    private static bool IsHost(string value) =>
        Uri.CheckHostName(HostString.FromUriComponent(value).Host) != UriHostNameType.Unknown
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']');

    private static bool IsPrefix(string value) =>
        value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~');
}
