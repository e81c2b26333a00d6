using FeedFunctions.Storage;

namespace FeedFunctions.Hosting;

/// <summary>Every request except the host's readiness probe (GET /) waits until the storage resources exist.</summary>
internal sealed class StorageReadinessMiddleware(RequestDelegate next, FeedStorageReadiness readiness)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!(HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/"))
        {
            await readiness.EnsureAsync().WaitAsync(context.RequestAborted);
        }

        await next(context);
    }
}
