using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Hosting;

/// <summary><c>GET /api/health</c>: 200 once the storage resources exist (the pipeline waits for them), else 503.</summary>
public sealed class HealthFunction
{
    [Function(nameof(Health))]
    public IResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "api/health")] HttpRequest request) =>
        TypedResults.Ok(new HealthResponse("healthy", typeof(HealthFunction).Assembly.GetName().Version?.ToString() ?? "0"));
}
