using FeedFunctions.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>
/// With <c>Feed:RequireReadAuth</c>, every read route needs a key with the read scope. Missing or unknown
/// credentials get 401 with a Basic challenge (the client only sends nuget.config credentials after one, and
/// a wrong password should make it ask again); a valid key without the read scope gets 403.
/// </summary>
public sealed class ReadAuthMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator, IOptions<FeedOptions> options)
{
    public const string Challenge = "Basic realm=\"feed\"";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!options.Value.RequireReadAuth || !IsReadRequest(context.Request))
        {
            await next(context);
            return;
        }

        var (check, identity) = await authenticator.AuthenticateAsync(ReadCredentials.PresentedKey(context.Request), context.RequestAborted);
        switch (check)
        {
            case ApiKeyCheckResult.Missing:
                await DenyAsync(context, StatusCodes.Status401Unauthorized, "This feed requires credentials: an API key as the Basic password or in X-NuGet-ApiKey.");
                return;
            case ApiKeyCheckResult.Invalid:
                await DenyAsync(context, StatusCodes.Status401Unauthorized, "The specified API key is invalid, has expired, or has been revoked.");
                return;
            case ApiKeyCheckResult.Valid when (identity!.Scopes & ApiKeyScopes.Read) == 0:
                await DenyAsync(context, StatusCodes.Status403Forbidden, "The specified API key does not have the read scope.");
                return;
            default:
                await next(context);
                return;
        }
    }

    /// <summary>
    /// By path, not by endpoint, so that unmatched /v3 URLs also answer 401 and probing cannot tell which ids
    /// exist. Routing ignores case, so this must too. Pushes and deletes keep their own key check.
    /// </summary>
    public static bool IsReadRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/v3", StringComparison.OrdinalIgnoreCase)
        || ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments(Publishing.PublishingEndpoints.PackageRoute, StringComparison.OrdinalIgnoreCase));

    private static async Task DenyAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        if (context.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = reason;
        }

        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = Challenge;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(reason + "\n", context.RequestAborted);
    }
}
