using Microsoft.Azure.Functions.Worker;

namespace FeedFunctions.Advisories;

/// <summary>VulnerabilityInfo (read side) and the management API for deprecations and advisories.</summary>
public sealed class AdvisoryFunctions(VulnerabilityInfoHandler vulnerabilities, ManagementHandler management)
{
    [Function(nameof(VulnerabilityIndex))]
    public Task<IResult> VulnerabilityIndex([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = AdvisoryRoutes.VulnerabilityIndex)] HttpRequest request) =>
        vulnerabilities.IndexAsync(request.HttpContext);

    [Function(nameof(VulnerabilityPage))]
    public Task<IResult> VulnerabilityPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = AdvisoryRoutes.VulnerabilityPage)] HttpRequest request) =>
        vulnerabilities.PageAsync(request.HttpContext);

    [Function(nameof(DeprecateVersions))]
    public Task<IResult> DeprecateVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = AdvisoryRoutes.Deprecation)] HttpRequest request, string id, string version) =>
        management.DeprecateAsync(request.HttpContext, id, version);

    [Function(nameof(UndeprecateVersions))]
    public Task<IResult> UndeprecateVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AdvisoryRoutes.Deprecation)] HttpRequest request, string id, string version) =>
        management.UndeprecateAsync(request.HttpContext, id, version);

    [Function(nameof(AddAdvisory))]
    public Task<IResult> AddAdvisory([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = AdvisoryRoutes.Advisories)] HttpRequest request) =>
        management.AddAdvisoryAsync(request.HttpContext);

    [Function(nameof(ListAdvisories))]
    public Task<IResult> ListAdvisories([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = AdvisoryRoutes.Advisories)] HttpRequest request) =>
        management.ListAdvisoriesAsync(request.HttpContext);

    [Function(nameof(RemoveAdvisory))]
    public Task<IResult> RemoveAdvisory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = AdvisoryRoutes.Advisories + "/{advisoryId}")] HttpRequest request, string advisoryId) =>
        management.RemoveAdvisoryAsync(request.HttpContext, advisoryId);
}
