using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace FeedFunctions.Publishing;

/// <summary>
/// A status code with a reason phrase: the NuGet client shows the reason phrase, not the body, so the reason
/// carries the real message (single line, printable ASCII, at most 512 characters, like nuget.org).
/// The same text goes in a short plain-text body for curl users and HTTP/2, which has no reason phrase.
/// </summary>
/// <param name="challenge">The WWW-Authenticate value of a 401; the push routes' API key challenge by default.</param>
public sealed class NuGetResult(int statusCode, string reason, string? challenge = null) : IResult
{
    public const int MaxReasonLength = 512;

    public int StatusCode { get; } = statusCode;

    public string Reason { get; } = Sanitize(reason);

    /// <summary>Sent as <c>Retry-After</c> (seconds) when set: a 503 that says when a retry can succeed.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static NuGetResult Created(string reason = "Created") => new(StatusCodes.Status201Created, reason);

    public static NuGetResult BadRequest(string reason) => new(StatusCodes.Status400BadRequest, reason);

    public static NuGetResult Unauthorized(string reason) => new(StatusCodes.Status401Unauthorized, reason);

    public static NuGetResult Forbidden(string reason) => new(StatusCodes.Status403Forbidden, reason);

    public static NuGetResult NotFound(string reason) => new(StatusCodes.Status404NotFound, reason);

    public static NuGetResult Conflict(string reason) => new(StatusCodes.Status409Conflict, reason);

    public static NuGetResult TooLarge(string reason) => new(StatusCodes.Status413PayloadTooLarge, reason);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (httpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = Reason;
        }

        if (RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (StatusCode == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = challenge ?? $"ApiKey realm=\"{httpContext.Request.Host.Host}\"";
        }

        if (StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified || HttpMethods.IsHead(httpContext.Request.Method))
        {
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(Reason + "\n", httpContext.RequestAborted);
    }

    internal static string Sanitize(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxReasonLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxReasonLength)
            {
                break;
            }

            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }
}
