using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FeedFunctions.Hosting;

/// <summary>
/// The outermost middleware of the worker's own ASP.NET Core pipeline, ahead of the Functions integration's
/// coordinator, which pairs each proxied HTTP request with its invocation from the host (gRPC). When the pair does
/// not meet in time (the coordinator throws <see cref="TimeoutException"/> or refuses the request), the integration
/// would let the exception become a 500, and the host would answer it only once its own forwarding gave up. Here
/// the client gets a 503 with Retry-After at once: nothing ran, so a retry is safe (the NuGet client retries 5xx).
/// </summary>
internal sealed class InvocationHandoffGuard(ILogger<InvocationHandoffGuard> logger) : IStartupFilter
{
    public const string RetryAfterSeconds = "1";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            try
            {
                await nextMiddleware(context);
            }
            catch (Exception ex) when (IsHandoffFailure(ex) && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                logger.LogWarning("{Method} {Path}: the request and its invocation did not meet ({Reason}); answered 503", context.Request.Method, context.Request.Path.Value, ex.Message);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = RetryAfterSeconds;
                var reason = "The function host did not start the request in time. Please retry.";
                context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = reason;
                await context.Response.WriteAsync(reason);
            }
        });
        next(app);
    };

    /// <summary>What the coordinator throws when the HTTP request and the invocation do not pair up.</summary>
    private static bool IsHandoffFailure(Exception ex) =>
        ex is TimeoutException
        || (ex is OperationCanceledException && ex.Message.Contains("Invocation", StringComparison.Ordinal))
        || (ex is InvalidOperationException && ex.Message.Contains("invocation id", StringComparison.OrdinalIgnoreCase));
}
