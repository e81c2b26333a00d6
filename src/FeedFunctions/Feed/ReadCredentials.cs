using System.Net.Http.Headers;
using System.Text;
using FeedFunctions.Auth;

namespace FeedFunctions.Feed;

/// <summary>
/// The key a read request presents: <c>X-NuGet-ApiKey</c>, or the password of HTTP Basic (any username), which
/// is what the NuGet client sends from nuget.config's packageSourceCredentials.
/// </summary>
public static class ReadCredentials
{
    /// <summary>Null when no key was presented (a malformed Basic header counts as none: it gets the same challenge).</summary>
    public static string? PresentedKey(HttpRequest request)
    {
        var headerKey = request.Headers[ApiKeyAuthenticator.HeaderName].ToString();
        if (headerKey.Length > 0)
        {
            return headerKey;
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var authorization)
            || !authorization.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return BasicPassword(authorization.Parameter);
    }

    private static string? BasicPassword(string? parameter)
    {
        if (string.IsNullOrEmpty(parameter) || parameter.Length > 4 * ApiKeyHasher.MaxKeyLength)
        {
            return null;
        }

        var buffer = new byte[parameter.Length];
        if (!Convert.TryFromBase64String(parameter, buffer, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length);
        var colon = text.IndexOf(':');
        return colon < 0 ? null : text[(colon + 1)..];
    }
}
