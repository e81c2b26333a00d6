using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>The NuGet V3 read side: service index, flat container (PackageBaseAddress), registration, search.</summary>
public sealed class ReadSideFunctions(
    FlatContainerHandler flatContainer, RegistrationHandler registration, SearchHandler search, IOptions<FeedOptions> options)
{
    private const string FlatContainer = "v3/flatcontainer";
    private const string Registration = "v3/registration";

    [Function(nameof(ServiceIndex))]
    public IResult ServiceIndex([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v3/index.json")] HttpRequest request) =>
        JsonDocumentResult.Create(request.HttpContext, ServiceIndexDocument.Create(FeedUrls.For(request, options.Value)), maxAgeSeconds: 300);

    [Function(nameof(PackageVersions))]
    public Task<IResult> PackageVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = FlatContainer + "/{id}/index.json")] HttpRequest request, string id) =>
        flatContainer.VersionsAsync(request.HttpContext, id);

    [Function(nameof(PackageContent))]
    public Task<IResult> PackageContent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = FlatContainer + "/{id}/{version}/{file}")] HttpRequest request,
        string id, string version, string file) =>
        flatContainer.ContentAsync(request.HttpContext, id, version, file);

    [Function(nameof(RegistrationIndex))]
    public Task<IResult> RegistrationIndex(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Registration + "/{id}/index.json")] HttpRequest request, string id) =>
        registration.IndexAsync(request.HttpContext, id);

    [Function(nameof(RegistrationPage))]
    public Task<IResult> RegistrationPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Registration + "/{id}/page/{lower}/{upper}.json")] HttpRequest request,
        string id, string lower, string upper) =>
        registration.PageAsync(request.HttpContext, id, lower, upper);

    [Function(nameof(RegistrationLeaf))]
    public Task<IResult> RegistrationLeaf(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = Registration + "/{id}/{version}.json")] HttpRequest request,
        string id, string version) =>
        registration.LeafAsync(request.HttpContext, id, version);

    [Function(nameof(Search))]
    public Task<IResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v3/search")] HttpRequest request) =>
        search.SearchAsync(request.HttpContext);

    [Function(nameof(Autocomplete))]
    public Task<IResult> Autocomplete([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v3/autocomplete")] HttpRequest request) =>
        search.AutocompleteAsync(request.HttpContext);
}
