using System.Text.Json.Nodes;
using FeedFunctions.Auth;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;

namespace FeedFunctions.Advisories;

/// <summary>
/// The authenticated management API (scope <see cref="ApiKeyScopes.Manage"/>, limited by the key's package globs):
/// deprecations on <c>/api/v2/package/{id}/{version-or-range}/deprecation</c>, advisories on <c>/api/v2/advisories</c>.
/// Everything is validated before storage is touched; see docs/advisories.md.
/// </summary>
public sealed class ManagementHandler(WriteAccess writeAccess, DeprecationStore deprecations, AdvisoryStore advisories, ILogger<ManagementHandler> logger)
{
    private const string Operation = "deprecations and advisories";

    public Task<IResult> DeprecateAsync(HttpContext context, string id, string version) => SetDeprecationAsync(context, id, version, deprecate: true);

    public Task<IResult> UndeprecateAsync(HttpContext context, string id, string version) => SetDeprecationAsync(context, id, version, deprecate: false);

    public async Task<IResult> AddAdvisoryAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Manage, Operation);
        if (denied is not null)
        {
            return denied;
        }

        var (body, bodyError) = await ManagementRequestBody.ReadAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return NuGetResult.BadRequest(bodyError!);
        }

        var request = AdvisoryRequest.TryCreate(
            ManagementRequestBody.Text(body["packageId"]), ManagementRequestBody.Text(body["versions"]),
            ManagementRequestBody.Text(body["severity"]), ManagementRequestBody.Text(body["url"]), out var error);
        if (request is null)
        {
            return NuGetResult.BadRequest(error!);
        }

        if (!identity!.Allows(ApiKeyScopes.Manage, request.PackageId))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to change package '{request.PackageId}'.");
        }

        var (status, advisory) = await advisories.AddAsync(request, identity.Name, cancellationToken);
        switch (status)
        {
            case AdvisoryAddStatus.UnknownId:
                return NuGetResult.NotFound($"Package '{request.PackageId}' is not on this feed.");
            case AdvisoryAddStatus.Conflict:
                return NuGetResult.Conflict($"Package '{request.PackageId}' already has advisory {advisory?.AdvisoryId} with this URL (another range or severity); remove it first.");
            case AdvisoryAddStatus.Created:
                logger.LogInformation("Advisory {AdvisoryId} added for {PackageId} {Versions} with key {KeyName}", advisory!.AdvisoryId, advisory.PackageId, advisory.Versions, identity.Name);
                return Json(context, ToJson(advisory), StatusCodes.Status201Created);
            default:
                // The same advisory again (a retried call): nothing changed.
                return Json(context, ToJson(advisory!), StatusCodes.Status200OK);
        }
    }

    public async Task<IResult> ListAdvisoriesAsync(HttpContext context)
    {
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Manage, Operation);
        if (denied is not null)
        {
            return denied;
        }

        var id = context.Request.Query["id"].ToString();
        if (id.Length > 0 && !PackageIdentity.TryValidateId(id, out var error))
        {
            return NuGetResult.BadRequest(error);
        }

        var list = id.Length > 0
            ? await advisories.ListForIdAsync(id.ToLowerInvariant(), context.RequestAborted)
            : await advisories.ListAsync(context.RequestAborted);
        var visible = list.Where(a => identity!.Allows(ApiKeyScopes.Manage, a.PackageId)).Select(a => (JsonNode?)ToJson(a)).ToArray();
        return Json(context, new JsonArray(visible), StatusCodes.Status200OK);
    }

    public async Task<IResult> RemoveAdvisoryAsync(HttpContext context, string advisoryId)
    {
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Manage, Operation);
        if (denied is not null)
        {
            return denied;
        }

        if (advisoryId.Length is 0 or > 64 || !advisoryId.All(char.IsAsciiHexDigit))
        {
            return NuGetResult.BadRequest($"'{advisoryId}' is not an advisory id (16 hexadecimal digits, from GET /api/v2/advisories).");
        }

        var existing = await advisories.FindByIdAsync(advisoryId, context.RequestAborted);
        if (existing is not null && !identity!.Allows(ApiKeyScopes.Manage, existing.PackageId))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to change package '{existing.PackageId}'.");
        }

        var removed = existing is null ? null : await advisories.RemoveAsync(advisoryId, identity!.Name, context.RequestAborted);
        if (removed is null)
        {
            return NuGetResult.NotFound($"Advisory '{advisoryId}' was not found.");
        }

        logger.LogInformation("Advisory {AdvisoryId} removed from {PackageId} with key {KeyName}", removed.AdvisoryId, removed.PackageId, identity!.Name);
        return TypedResults.NoContent();
    }

    private async Task<IResult> SetDeprecationAsync(HttpContext context, string id, string version, bool deprecate)
    {
        var cancellationToken = context.RequestAborted;
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Manage, Operation);
        if (denied is not null)
        {
            return denied;
        }

        if (!PackageIdentity.TryValidateId(id, out var error) || VersionSelector.TryParse(Uri.UnescapeDataString(version), out error) is not { } selector)
        {
            return NuGetResult.BadRequest(error!);
        }

        PackageDeprecation? deprecation = null;
        if (deprecate)
        {
            var (body, bodyError) = await ManagementRequestBody.ReadAsync(context.Request, cancellationToken);
            if (body is null)
            {
                return NuGetResult.BadRequest(bodyError!);
            }

            var alternate = body["alternatePackage"] as JsonObject;
            deprecation = PackageDeprecation.TryCreate(
                ManagementRequestBody.Texts(body["reasons"]), ManagementRequestBody.Text(body["message"]),
                ManagementRequestBody.Text(alternate?["id"]), ManagementRequestBody.Text(alternate?["range"]), out error);
            if (deprecation is null)
            {
                return NuGetResult.BadRequest(error!);
            }
        }

        if (!identity!.Allows(ApiKeyScopes.Manage, id))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to change package '{id}'.");
        }

        var result = await deprecations.SetAsync(id, selector, deprecation, identity.Name, cancellationToken);
        if (result.Versions.Count == 0)
        {
            return NuGetResult.NotFound($"Package '{id}' has no version matching '{selector}'.");
        }

        logger.LogInformation("{Action} {PackageId} {Selector} ({Changed} of {Count} versions changed) with key {KeyName}",
            deprecate ? "Deprecated" : "Undeprecated", id, selector.ToString(), result.Changed, result.Versions.Count, identity.Name);
        var json = new JsonObject
        {
            ["id"] = id,
            ["versions"] = new JsonArray(result.Versions.Select(v => (JsonNode?)v).ToArray()),
            ["changed"] = result.Changed,
        };
        if (deprecation is not null)
        {
            json["deprecation"] = deprecation.ToJson();
        }

        return Json(context, json, StatusCodes.Status200OK);
    }

    internal static JsonObject ToJson(Advisory advisory) => new()
    {
        ["advisoryId"] = advisory.AdvisoryId,
        ["packageId"] = advisory.PackageId,
        ["versions"] = advisory.Versions,
        ["severity"] = advisory.Severity,
        ["severityName"] = AdvisorySeverity.Name(advisory.Severity),
        ["url"] = advisory.Url,
        ["created"] = advisory.Created,
        ["createdBy"] = advisory.CreatedBy,
    };

    private static IResult Json(HttpContext context, JsonNode document, int status)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Text(document.ToJsonString(), "application/json; charset=utf-8", statusCode: status);
    }
}
