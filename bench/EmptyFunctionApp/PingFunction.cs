using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace EmptyFunctionApp;

public sealed class PingFunction
{
    [Function("Ping")]
    public IResult Ping([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ping")] HttpRequest request) => Results.Text("ok");
}
