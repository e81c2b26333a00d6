using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Publishing;

/// <summary>
/// NuGet PackagePublish/2.0.0 plus the legacy V2 download route. Routes ignore a trailing slash, so
/// <c>/api/v2/package/</c> (what the NuGet client sends) reaches <see cref="PushPackage"/>.
/// </summary>
public sealed class PublishingFunctions(PushHandler push, ListingHandler listing, DownloadHandler download)
{
    public const string PackageRoute = "api/v2/package";

    [Function(nameof(PushPackage))]
    public Task<IResult> PushPackage([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PackageRoute)] HttpRequest request) =>
        push.HandleAsync(request.HttpContext);

    [Function(nameof(DeletePackage))]
    public Task<IResult> DeletePackage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = PackageRoute + "/{id}/{version}")] HttpRequest request, string id, string version) =>
        listing.DeleteAsync(request.HttpContext, id, version);

    [Function(nameof(RelistPackage))]
    public Task<IResult> RelistPackage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PackageRoute + "/{id}/{version}")] HttpRequest request, string id, string version) =>
        listing.RelistAsync(request.HttpContext, id, version);

    [Function(nameof(DownloadPackage))]
    public Task<IResult> DownloadPackage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = PackageRoute + "/{id}/{version}")] HttpRequest request, string id, string version) =>
        download.DownloadAsync(request.HttpContext, id, version);
}
