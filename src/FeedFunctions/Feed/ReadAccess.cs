using FeedFunctions.Auth;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>
/// With <c>Feed:RequireReadAuth</c>, every read route needs a key with the read scope. Missing or unknown
/// credentials get 401 with a Basic challenge (the client only sends nuget.config credentials after one, and
/// a wrong password should make it ask again); a valid key without the read scope gets 403.
/// </summary>
public sealed class ReadAccess(ApiKeyAuthenticator authenticator, IOptions<FeedOptions> options)
{
    public const string Challenge = "Basic realm=\"feed\"";

    /// <summary>The one read route that stays open: load balancers and the host's start-up probe use it.</summary>
    public const string HealthPath = "/api/health";

    /// <summary>Null when the request may proceed; otherwise the answer to send.</summary>
    public async Task<IResult?> CheckAsync(HttpContext context)
    {
        if (!options.Value.RequireReadAuth || !IsReadRequest(context.Request))
        {
            return null;
        }

        var (check, identity) = await authenticator.AuthenticateAsync(ReadCredentials.PresentedKey(context.Request), context.RequestAborted);
        return check switch
        {
            ApiKeyCheckResult.Missing => new NuGetResult(
                StatusCodes.Status401Unauthorized, "This feed requires credentials: an API key as the Basic password or in X-NuGet-ApiKey.", Challenge),
            ApiKeyCheckResult.Invalid => new NuGetResult(
                StatusCodes.Status401Unauthorized, "The specified API key is invalid, has expired, or has been revoked.", Challenge),
            ApiKeyCheckResult.Valid when (identity!.Scopes & ApiKeyScopes.Read) == 0 => NuGetResult.Forbidden("The specified API key does not have the read scope."),
            _ => null,
        };
    }

    /// <summary>
    /// By path, not by function, so that every read URL (also ones no function serves) is covered the same way and
    /// probing cannot tell which ids exist: all of <c>/v3</c>, and every GET or HEAD (the package browser's pages
    /// and assets, the V2 download, unknown paths) except the health probe. Routing ignores case, so this must too.
    /// Pushes, deletes and relists keep their own key check.
    /// </summary>
    public static bool IsReadRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/v3", StringComparison.OrdinalIgnoreCase)
        || ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && !request.Path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase));
}
