using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace EmptyFunctionApp;

public sealed class PingFunction
{
    [Function("Ping")]
    public IResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ping")] HttpRequest request) => Results.Text("ok");

    /// <summary>Reads a request body to its end and answers 201: what the host adds to a push-sized request.</summary>
    [Function("Sink")]
    public async Task<IResult> Sink([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/sink")] HttpRequest request)
    {
        await request.Body.CopyToAsync(Stream.Null);
        return Results.StatusCode(StatusCodes.Status201Created);
    }
}
