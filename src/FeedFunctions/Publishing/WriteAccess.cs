using System.Diagnostics.CodeAnalysis;
using FeedFunctions.Auth;
using FeedFunctions.Feed;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Publishing;

/// <summary>
/// The gate every write route passes first, before any body byte is read: read-only mode (403), then the key
/// (401 when missing, 403 when unknown, expired or revoked, as nuget.org answers), then the route's scopes (403).
/// Package-id globs are checked later by each route, once it knows the id.
/// </summary>
public sealed class WriteAccess(ApiKeyAuthenticator authenticator, IOptions<FeedOptions> options)
{
    public async Task<(ApiKeyIdentity? Identity, NuGetResult? Denied)> CheckAsync(HttpContext context, ApiKeyScopes anyOf, string operation)
    {
        if (options.Value.ReadOnly)
        {
            return (null, NuGetResult.Forbidden($"This feed is read-only: {operation} are turned off."));
        }

        var (check, identity) = await authenticator.AuthenticateAsync(context.Request.Headers[ApiKeyAuthenticator.HeaderName], context.RequestAborted);
        return check switch
        {
            ApiKeyCheckResult.Missing => (null, NuGetResult.Unauthorized("An API key must be provided in the 'X-NuGet-ApiKey' header to use this service.")),
            ApiKeyCheckResult.Invalid => (null, NuGetResult.Forbidden("The specified API key is invalid, has expired, or has been revoked.")),
            _ when (identity!.Scopes & anyOf) == 0 => (null, NuGetResult.Forbidden("The specified API key does not have permission for this operation.")),
            _ => (identity, null),
        };
    }
}
