using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace FeedFunctions.Hosting;

/// <summary>Runs <see cref="FeedHttpPipeline"/> around every HTTP function; queue and timer functions pass straight through.</summary>
internal sealed class FeedHttpMiddleware(FeedHttpPipeline pipeline) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        // An answer set here replaces the function's result; the ASP.NET Core integration writes it after this returns.
        if (await pipeline.InvokeAsync(http, () => next(context)) is { } answer)
        {
            context.GetInvocationResult().Value = answer;
        }
    }
}
