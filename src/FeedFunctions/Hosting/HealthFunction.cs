using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Hosting;

/// <summary>
/// <c>GET /api/health</c>: 200 once the storage resources exist (the pipeline waits for them, else 503), and 503
/// naming every function the host could not index (<see cref="FunctionIndexingCheck"/>): a feed whose outbox sweep
/// or event trigger is disabled is not healthy, even though it answers requests.
/// </summary>
public sealed class HealthFunction(FunctionIndexingCheck indexing)
{
    [Function(nameof(Health))]
    public async Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/health")] HttpRequest request)
    {
        var version = typeof(HealthFunction).Assembly.GetName().Version?.ToString() ?? "0";
        var problems = await indexing.ProblemsAsync();
        return problems.Count == 0
            ? TypedResults.Ok(new HealthResponse("healthy", version))
            : TypedResults.Json(new HealthResponse("unhealthy", version, problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
