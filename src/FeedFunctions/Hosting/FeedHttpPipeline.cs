using Azure;
using FeedFunctions.Feed;
using FeedFunctions.Publishing;
using FeedFunctions.Storage;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Hosting;

/// <summary>
/// What every HTTP request goes through around its function: wait for the storage resources, read auth, and the
/// last line of defence for failures (a storage failure answers 503 with a reason and Retry-After: the NuGet client
/// retries 5xx and the push commit point makes retries safe; anything else is a 500 with a short reason, never a
/// stack trace). It also reads whatever is left of the request body before the answer goes out: behind the
/// Functions host, an answer sent while the host is still forwarding the body (a refused 400 MB push, say) makes
/// the host's proxy fail and turn our 4xx into its own 500. The worker middleware runs it on the Functions host;
/// the tests' in-process host runs the same pipeline.
/// </summary>
public sealed class FeedHttpPipeline(
    FeedStorageReadiness readiness, ReadAccess readAccess, IOptions<FeedOptions> options, IConfiguration configuration, ILogger<FeedHttpPipeline> logger)
{
    /// <summary>The host's own request body limit, read by the host from this app setting.</summary>
    public const string HostBodyLimitSetting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    private const int DrainBufferSize = 64 * 1024;

    /// <summary>Runs <paramref name="next"/> (the function); returns the answer to send instead of its own, if any.</summary>
    public async Task<IResult?> InvokeAsync(HttpContext context, Func<Task> next)
    {
        IResult? answer = null;
        try
        {
            await readiness.EnsureAsync().WaitAsync(context.RequestAborted);
            answer = await readAccess.CheckAsync(context);
            if (answer is null)
            {
                await next();
            }
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client disconnected; there is nobody to answer.
            return null;
        }
        catch (BadHttpRequestException ex)
        {
            answer = new NuGetResult(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? "The request body exceeds the size limit."
                : "The request is malformed: " + ex.Message);
        }
        catch (Exception ex)
        {
            var storage = IsStorageFailure(ex);
            logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            if (storage)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            answer = new NuGetResult(
                storage ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                storage ? "Storage is temporarily unavailable. Please retry." : "The server failed to process the request. Please retry.");
        }

        await DrainBodyAsync(context);
        return answer;
    }

    /// <summary>
    /// Reads the rest of the body, up to what the host itself would forward; past that the connection is aborted
    /// (the host has refused such a body already). Costs nothing when the function read it all, as a push does.
    /// </summary>
    private async Task DrainBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength == 0 || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var limit = Math.Max(
            configuration.GetValue<long?>(HostBodyLimitSetting) ?? 0,
            options.Value.MaxPackageSizeBytes + PackageUploadReader.MultipartOverheadAllowance);
        if (context.Request.ContentLength > limit)
        {
            // Declared larger than anything the host forwards (it refuses such a request itself): nothing to wait for.
            return;
        }

        var buffer = new byte[DrainBufferSize];
        long drained = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                drained += read;
                if (drained > limit)
                {
                    context.Abort();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException or InvalidOperationException)
        {
            // A body that cannot be read further (client gone, malformed chunking): nothing left to protect.
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
