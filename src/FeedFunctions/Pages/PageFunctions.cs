using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Pages;

/// <summary>
/// The package browser's routes. <see cref="ZzFallbackPage"/> takes every GET no other function matches, including
/// <c>/</c> when <c>AzureWebJobsDisableHomepage=true</c> keeps the host's own page out of the way; <c>/packages</c>
/// is the home page whatever the host does.
/// </summary>
public sealed class PageFunctions(PageHandler pages)
{
    /// <summary>
    /// The host has no route precedence: it tries the functions' routes in the alphabetical order of their names and
    /// the first match wins (a catch-all named "Root" took <c>/v3/search</c> and <c>/v3/index.json</c>). This name
    /// sorts after every other function's, so the catch-all is tried last; FunctionsMetadataTests keeps it so.
    /// </summary>
    public const string FallbackName = "ZzFallbackPage";

    [Function(nameof(HomePage))]
    public Task<IResult> HomePage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "packages")] HttpRequest request) =>
        pages.HomeAsync(request.HttpContext);

    [Function(nameof(PackagePage))]
    public Task<IResult> PackagePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "packages/{id}")] HttpRequest request, string id) =>
        pages.PackageAsync(request.HttpContext, id, version: null);

    [Function(nameof(PackageVersionPage))]
    public Task<IResult> PackageVersionPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "packages/{id}/{version}")] HttpRequest request, string id, string version) =>
        pages.PackageAsync(request.HttpContext, id, version);

    [Function(nameof(PageAsset))]
    public IResult PageAsset([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "assets/{name}")] HttpRequest request, string name) =>
        PageHandler.Asset(request.HttpContext, name);

    [Function(FallbackName)]
    public Task<IResult> ZzFallbackPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "{*path}")] HttpRequest request, string? path) =>
        pages.OtherAsync(request.HttpContext, path);
}
