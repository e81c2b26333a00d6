using System.Net.Http.Headers;
using System.Text.Json;
using FeedFunctions.Auth;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// <c>POST /api/v2/token</c>: an OIDC token (JSON body or <c>Authorization: Bearer</c>) for a short-lived feed API key
/// with the matching policy's scopes and globs, stored hashed like any key and named <c>trusted:{policy}:{run}</c>.
/// For pipelines that need a classic key (several pushes, tools that cannot pass a token). Speaks nuget.org's token
/// API as the NuGet/login action uses it: bearer token, body <c>{"username", "tokenType": "ApiKey"}</c>, answer
/// <c>{"tokenType", "expires", "apiKey", ...}</c>, refusals as <c>{"error"}</c> (<see cref="TokenExchangeError"/>).
/// </summary>
public sealed class TokenExchangeHandler(
    TrustedTokenAuthenticator trusted,
    ApiKeyStore keys,
    IOptions<TrustedPublishingOptions> trustOptions,
    IOptions<FeedOptions> feedOptions,
    TimeProvider time,
    ILogger<TokenExchangeHandler> logger)
{
    /// <summary>A token is at most 8 KB; the JSON around it needs little more.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var answer = await ExchangeAsync(context);
        return answer is NuGetResult refusal ? new TokenExchangeError(refusal) : answer;
    }

    private async Task<IResult> ExchangeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!trusted.Enabled)
        {
            return NuGetResult.NotFound("Trusted publishing is not enabled on this feed.");
        }

        if (feedOptions.Value.ReadOnly)
        {
            return NuGetResult.Forbidden("This feed is read-only: token exchange is turned off.");
        }

        var (request, problem) = await ReadRequestAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var options = trustOptions.Value;
        var lifetime = request!.LifetimeMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : options.EffectiveDefaultKeyLifetime;
        if (lifetime <= TimeSpan.Zero || lifetime > options.EffectiveMaxKeyLifetime)
        {
            return NuGetResult.BadRequest($"lifetimeMinutes must be between 1 and {(int)options.EffectiveMaxKeyLifetime.TotalMinutes}.");
        }

        var result = await trusted.AuthenticateAsync(request.Token!, request.Username, cancellationToken);
        if (result.Refusal is not null)
        {
            return result.Refusal;
        }

        var (policy, publisher) = (result.Policy!, result.Publisher!);
        var expires = time.GetUtcNow() + lifetime;
        if (policy.ExpiresAt is { } policyExpires && policyExpires < expires)
        {
            expires = policyExpires;
        }

        var (record, key) = await keys.CreateAsync(publisher.DisplayName, policy.Scopes, policy.PackageGlobs, expires, publisher, cancellationToken);
        logger.LogInformation(
            "Trusted publishing: issued key {KeyId} '{KeyName}' (policy {Policy}, subject {Subject}) until {Expires:u}",
            record.KeyId, record.Name, policy.Name, publisher.Subject, expires);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(
            new TokenExchangeResponse(TokenExchangeResponse.ApiKeyTokenType, expires, key, record.Name, policy.Scopes.ToString(), policy.PackageGlobs), Json);
    }

    private static async Task<(TokenExchangeRequest? Request, NuGetResult? Problem)> ReadRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, NuGetResult.TooLarge($"The request body exceeds {MaxBodyBytes} bytes."));
        }

        var body = await BoundedReader.ReadAsync(request.Body, MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, NuGetResult.TooLarge($"The request body exceeds {MaxBodyBytes} bytes."));
        }

        TokenExchangeRequest parsed = new(null, null);
        if (body.Length > 0)
        {
            try
            {
                parsed = JsonSerializer.Deserialize<TokenExchangeRequest>(body, Json) ?? parsed;
            }
            catch (JsonException)
            {
                return (null, NuGetResult.BadRequest("The body must be JSON: {\"username\": \"...\", \"tokenType\": \"ApiKey\"} or {\"token\": \"<OIDC token>\", \"lifetimeMinutes\": 15}."));
            }
        }

        if (parsed.TokenType is not null && !string.Equals(parsed.TokenType, TokenExchangeResponse.ApiKeyTokenType, StringComparison.Ordinal))
        {
            return (null, NuGetResult.BadRequest($"The tokenType property must be '{TokenExchangeResponse.ApiKeyTokenType}' (the only token type issued)."));
        }

        if (parsed.Username is { } username && (username.Length > TrustPolicy.MaxUserLength || username.Any(char.IsControl)))
        {
            return (null, NuGetResult.BadRequest($"The username property must be at most {TrustPolicy.MaxUserLength} printable characters."));
        }

        var bearer = AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
                     && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? header.Parameter
            : null;
        if (!string.IsNullOrEmpty(bearer) && !string.IsNullOrEmpty(parsed.Token) && !string.Equals(bearer, parsed.Token, StringComparison.Ordinal))
        {
            return (null, NuGetResult.BadRequest("Send the token either in the body or as the bearer token, not two different ones."));
        }

        var token = string.IsNullOrEmpty(parsed.Token) ? bearer : parsed.Token;
        return string.IsNullOrEmpty(token)
            ? (null, NuGetResult.Unauthorized("An OIDC token is required: JSON {\"token\": \"...\"} or an 'Authorization: Bearer' header."))
            : (parsed with { Token = token }, null);
    }
}
