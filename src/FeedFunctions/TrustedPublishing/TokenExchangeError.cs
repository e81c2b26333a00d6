using System.Text.Json;
using FeedFunctions.Publishing;
using Microsoft.AspNetCore.Http.Features;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// A refusal of <c>POST /api/v2/token</c> as nuget.org's token API answers one: the reason in the status line (what
/// the NuGet client shows) and as JSON <c>{"error": "..."}</c> (what the NuGet/login action prints), with the
/// refusal's <c>Retry-After</c>, and <c>WWW-Authenticate: Bearer</c> on a 401 (the route takes a bearer token).
/// </summary>
public sealed class TokenExchangeError(NuGetResult refusal) : IResult
{
    public NuGetResult Refusal { get; } = refusal;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Refusal.StatusCode;
        if (httpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = Refusal.Reason;
        }

        if (Refusal.StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        if (Refusal.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(response.Body, new ErrorBody(Refusal.Reason), ErrorBody.Json, httpContext.RequestAborted);
    }

    private sealed record ErrorBody(string Error)
    {
        public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    }
}
