using Azure;
using FeedFunctions.Publishing;

namespace FeedFunctions.Hosting;

/// <summary>
/// Last line of defence: a request that fails on storage answers 503 with a reason and Retry-After (the NuGet
/// client retries 5xx, and the push commit point makes retries safe); a client that went away gets nothing;
/// anything else is a 500 with a short reason, never a stack trace.
/// </summary>
internal sealed class UnhandledExceptionMiddleware(RequestDelegate next, ILogger<UnhandledExceptionMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; there is nobody to answer.
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await new NuGetResult(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body exceeds the size limit."
                : "The request is malformed: " + ex.Message).ExecuteAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var storage = IsStorageFailure(ex);
            logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            context.Response.Clear();
            if (storage)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await new NuGetResult(
                storage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                storage ? "Storage is temporarily unavailable. Please retry."
                        : "The server failed to process the request. Please retry.").ExecuteAsync(context);
        }
    }

    private static bool IsStorageFailure(Exception ex) => ex switch
    {
        RequestFailedException or IOException or HttpRequestException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFailure),
        TaskCanceledException => true,
        _ => false,
    };
}
