using System.Reflection;
using FeedFunctions.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The app's HTTP functions, found by their <c>[Function]</c> and <c>[HttpTrigger]</c> attributes (the same ones
/// the Worker SDK turns into functions.metadata), mapped onto an in-process ASP.NET Core app with the same routes
/// and methods. Each request creates the function class from DI and calls the method with the request and route
/// values, as the worker does; the function's result is written after <see cref="FeedHttpPipeline"/> has run,
/// as under the host.
/// </summary>
public static class FunctionRoutes
{
    private const string ResultKey = "function-result";

    public static IReadOnlyList<HttpFunction> All { get; } = Discover();

    public static void Map(WebApplication app)
    {
        var pipeline = app.Services.GetRequiredService<FeedHttpPipeline>();
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            var answer = await pipeline.InvokeAsync(context, () => next(context)) ?? context.Items[ResultKey] as IResult;
            if (answer is not null && !context.RequestAborted.IsCancellationRequested)
            {
                await answer.ExecuteAsync(context);
            }
        });

        foreach (var function in All)
        {
            if (function.Route.StartsWith("{*", StringComparison.Ordinal))
            {
                // The host tries a catch-all after every other route and, like any unmatched request, answers 404
                // for a method it does not take (its router has no 405). A fallback endpoint behaves the same here;
                // mapped with its methods it would make ASP.NET answer 405 for every other method on every path.
                app.MapFallback("/" + function.Route, async context =>
                {
                    context.Items[ResultKey] = function.Methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase)
                        ? await function.InvokeAsync(context)
                        : Results.NotFound();
                });
                continue;
            }

            app.MapMethods("/" + function.Route, function.Methods, async context =>
            {
                context.Items[ResultKey] = await function.InvokeAsync(context);
            }).WithName(function.Name);
        }
    }

    private static List<HttpFunction> Discover()
    {
        var functions = new List<HttpFunction>();
        foreach (var type in typeof(FeedHttpPipeline).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                var name = method.GetCustomAttribute<FunctionAttribute>()?.Name;
                var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null);
                if (name is not null && trigger is not null)
                {
                    functions.Add(new HttpFunction(name, trigger.Route ?? name, trigger.Methods!.Select(m => m.ToUpperInvariant()).ToArray(), type, method));
                }
            }
        }

        return functions;
    }
}

public sealed record HttpFunction(string Name, string Route, string[] Methods, Type Type, MethodInfo Method)
{
    public async Task<IResult> InvokeAsync(HttpContext context)
    {
        var instance = ActivatorUtilities.CreateInstance(context.RequestServices, Type);
        var arguments = Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            var t when t == typeof(string) => (object?)context.GetRouteValue(p.Name!)?.ToString(),
            _ => throw new NotSupportedException($"{Name}: parameter {p.Name} of type {p.ParameterType.Name} has no in-process binding."),
        }).ToArray();
        return Method.Invoke(instance, arguments) switch
        {
            Task<IResult> pending => await pending,
            IResult done => done,
            var other => throw new NotSupportedException($"{Name} returned {other?.GetType().Name ?? "null"}, not an IResult."),
        };
    }
}
