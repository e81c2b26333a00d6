using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Symbols;

/// <summary>The symbol server: set <c>{base}/download/symbols</c> as a symbol server in a debugger or dotnet-symbol.</summary>
public sealed class SymbolFunctions(SymbolDownloadHandler handler)
{
    public const string Route = "download/symbols/{file}/{key}/{fileAgain}";

    /// <remarks>Its name sorts before the package browser's catch-all, which the host would otherwise try first.</remarks>
    [Function(nameof(SymbolDownload))]
    public Task<IResult> SymbolDownload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Route)] HttpRequest request, string file, string key, string fileAgain) =>
        handler.DownloadAsync(request.HttpContext, file, key, fileAgain);
}
