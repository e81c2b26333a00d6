using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace FeedFunctions.Pages;

/// <summary>A whole HTML page with the security headers; a 404 also carries its reason phrase, as every other 4xx here does.</summary>
public sealed class PageResult(int statusCode, Html page, bool privateFeed, string? reason = null) : IResult
{
    public int StatusCode { get; } = statusCode;

    public Html Page { get; } = page;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (reason is not null && httpContext.Features.Get<IHttpResponseFeature>() is { } feature)
        {
            feature.ReasonPhrase = Publishing.NuGetResult.Sanitize(reason);
        }

        SecurityHeaders.Apply(response, privateFeed);
        response.ContentType = "text/html; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(Page.Value);
        response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
