using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>The NuGet V3 read routes, the symbol push route, and read auth in front of them.</summary>
public static class ReadSideEndpoints
{
    public static WebApplication MapFeedReadSide(this WebApplication app)
    {
        // Middleware rather than an endpoint filter: it also covers the legacy download route and unmatched /v3 URLs.
        app.UseMiddleware<ReadAuthMiddleware>();

        string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods(FeedUrls.ServiceIndexPath, getAndHead, (HttpContext context, IOptions<FeedOptions> options) =>
            JsonDocumentResult.Create(context, ServiceIndexDocument.Create(FeedUrls.For(context.Request, options.Value)), maxAgeSeconds: 300));

        var flat = FeedUrls.FlatContainerPath;
        app.MapMethods(flat + "/{id}/index.json", getAndHead, (HttpContext context, string id, FlatContainerHandler handler) =>
            handler.VersionsAsync(context, id));
        app.MapMethods(flat + "/{id}/{version}/{file}", getAndHead, (HttpContext context, string id, string version, string file, FlatContainerHandler handler) =>
            handler.ContentAsync(context, id, version, file));

        var registration = FeedUrls.RegistrationPath;
        app.MapMethods(registration + "/{id}/index.json", getAndHead, (HttpContext context, string id, RegistrationHandler handler) =>
            handler.IndexAsync(context, id));
        app.MapMethods(registration + "/{id}/page/{lower}/{upper}.json", getAndHead, (HttpContext context, string id, string lower, string upper, RegistrationHandler handler) =>
            handler.PageAsync(context, id, lower, upper));
        app.MapMethods(registration + "/{id}/{version}.json", getAndHead, (HttpContext context, string id, string version, RegistrationHandler handler) =>
            handler.LeafAsync(context, id, version));

        app.MapMethods(FeedUrls.SearchPath, getAndHead, (HttpContext context, SearchHandler handler) => handler.SearchAsync(context));
        app.MapMethods(FeedUrls.AutocompletePath, getAndHead, (HttpContext context, SearchHandler handler) => handler.AutocompleteAsync(context));

        // Routing treats "/api/v2/symbolpackage/" (what the client sends) the same as without the slash.
        app.MapPut(FeedUrls.SymbolPackagePath, (HttpContext context, SymbolPackageHandler handler) => handler.HandleAsync(context))
            .WithName("PushSymbolPackage");
        return app;
    }
}
