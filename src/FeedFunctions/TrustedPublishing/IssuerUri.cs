using System.Net;

namespace FeedFunctions.TrustedPublishing;

/// <summary>What an issuer URL may look like: https, or http on a loopback address when tests allow it.</summary>
public static class IssuerUri
{
    /// <summary>Null when <paramref name="issuer"/> is acceptable; otherwise why not.</summary>
    public static string? Check(string issuer, bool allowHttpLoopback)
    {
        if (issuer.Length > 512 || !Uri.TryCreate(issuer, UriKind.Absolute, out var uri)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return "The issuer must be an absolute https URL without user info, query or fragment.";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        return uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)
            ? allowHttpLoopback ? null : "The issuer uses http; only https issuers are trusted (Feed:TrustedPublishing:AllowHttpLoopbackIssuers is for tests)."
            : "The issuer must use https (http is accepted only for a loopback test issuer).";
    }

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Where OpenID Connect discovery says the issuer's metadata is.</summary>
    public static string DiscoveryAddress(string issuer) => issuer.TrimEnd('/') + "/.well-known/openid-configuration";
}
