namespace FeedFunctions.Publishing;

/// <summary>NuGet PackagePublish/2.0.0 plus the legacy V2 download route.</summary>
public static class PublishingEndpoints
{
    public const string PackageRoute = "/api/v2/package";

    public static void MapPublishing(this IEndpointRouteBuilder app)
    {
        // Routing treats "/api/v2/package/" (what the client sends) the same as "/api/v2/package".
        app.MapPut(PackageRoute, (HttpContext context, PushHandler handler) => handler.HandleAsync(context))
            .WithName("PushPackage");
        app.MapDelete(PackageRoute + "/{id}/{version}", (HttpContext context, string id, string version, ListingHandler handler) =>
            handler.DeleteAsync(context, id, version)).WithName("DeletePackage");
        app.MapPost(PackageRoute + "/{id}/{version}", (HttpContext context, string id, string version, ListingHandler handler) =>
            handler.RelistAsync(context, id, version)).WithName("RelistPackage");
        app.MapGet(PackageRoute + "/{id}/{version}", (HttpContext context, string id, string version, DownloadHandler handler) =>
            handler.DownloadAsync(context, id, version)).WithName("DownloadPackage");
    }
}
