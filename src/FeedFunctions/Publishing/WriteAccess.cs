using FeedFunctions.Auth;
using FeedFunctions.Feed;
using FeedFunctions.TrustedPublishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Publishing;

/// <summary>
/// The gate every write route passes first, before any body byte is read: read-only mode (403), then the credential,
/// then the route's scopes (403). An API key is 401 when missing and 403 when unknown, expired or revoked, as
/// nuget.org answers. An OIDC token (trusted publishing, recognised by its shape before any key lookup) is 401 when it
/// does not prove an identity and 403 when no trust policy lets that identity in. Package-id globs are checked later
/// by each route, once it knows the id.
/// </summary>
public sealed class WriteAccess(ApiKeyAuthenticator authenticator, TrustedTokenAuthenticator trusted, IOptions<FeedOptions> options)
{
    public async Task<(ApiKeyIdentity? Identity, NuGetResult? Denied)> CheckAsync(HttpContext context, ApiKeyScopes anyOf, string operation)
    {
        if (options.Value.ReadOnly)
        {
            return (null, NuGetResult.Forbidden($"This feed is read-only: {operation} are turned off."));
        }

        var presented = context.Request.Headers[ApiKeyAuthenticator.HeaderName].ToString();
        if (trusted.Enabled && TrustedTokenAuthenticator.LooksLikeToken(presented))
        {
            var result = await trusted.AuthenticateAsync(presented, context.RequestAborted);
            if (result.Refusal is not null)
            {
                return (null, result.Refusal);
            }

            var policy = result.Policy!;
            var identity = new ApiKeyIdentity(result.Publisher!.DisplayName, policy.Scopes, policy.PackageGlobs, result.Publisher);
            return (identity.Scopes & anyOf) == 0
                ? (null, NuGetResult.Forbidden($"Trust policy '{policy.Name}' does not grant permission for this operation."))
                : (identity, null);
        }

        var (check, keyIdentity) = await authenticator.AuthenticateAsync(presented, context.RequestAborted);
        return check switch
        {
            ApiKeyCheckResult.Missing => (null, NuGetResult.Unauthorized("An API key must be provided in the 'X-NuGet-ApiKey' header to use this service.")),
            ApiKeyCheckResult.Invalid => (null, NuGetResult.Forbidden("The specified API key is invalid, has expired, or has been revoked.")),
            _ when (keyIdentity!.Scopes & anyOf) == 0 => (null, NuGetResult.Forbidden($"{keyIdentity.GrantDescription} does not have permission for this operation.")),
            _ => (keyIdentity, null),
        };
    }
}
