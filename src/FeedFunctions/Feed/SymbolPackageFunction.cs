using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Feed;

/// <summary>SymbolPackagePublish/4.9.0; the client sends <c>/api/v2/symbolpackage/</c>, which this route also matches.</summary>
public sealed class SymbolPackageFunction(SymbolPackageHandler handler)
{
    [Function(nameof(PushSymbolPackage))]
    public Task<IResult> PushSymbolPackage([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/v2/symbolpackage")] HttpRequest request) =>
        handler.HandleAsync(request.HttpContext);
}
