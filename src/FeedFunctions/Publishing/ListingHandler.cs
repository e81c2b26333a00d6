using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Publishing;

/// <summary>
/// <c>DELETE</c> (unlist, or hard delete when configured) and <c>POST</c> (relist) on
/// <c>/api/v2/package/{id}/{version}</c>. The id and version arrive as the user typed them: matched
/// case-insensitively, version normalized (1.0 = 1.0.0).
/// </summary>
public sealed class ListingHandler(
    WriteAccess writeAccess,
    PackageStore store,
    IOptions<FeedOptions> options,
    TimeProvider time,
    ILogger<ListingHandler> logger)
{
    public Task<IResult> DeleteAsync(HttpContext context, string id, string version) =>
        HandleAsync(context, id, version, relist: false);

    public Task<IResult> RelistAsync(HttpContext context, string id, string version) =>
        HandleAsync(context, id, version, relist: true);

    private async Task<IResult> HandleAsync(HttpContext context, string id, string version, bool relist)
    {
        var cancellationToken = context.RequestAborted;
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Unlist, "unlist, relist and delete");
        if (denied is not null)
        {
            return denied;
        }

        if (!PackageKey.TryParse(id, version, out var key, out var error))
        {
            return NuGetResult.BadRequest(error);
        }

        if (!identity!.Allows(ApiKeyScopes.Unlist, id))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to change package '{id}'.");
        }

        var (lowerId, lowerVersion) = (key.LowerId, key.LowerVersion);
        var notFound = NuGetResult.NotFound(key.NotFoundReason);
        PackageEvent NewEvent(string type, PackageRecord record) =>
            PackageEvent.Create(type, record.Id, record.Version, record.Size, record.Sha512, identity.Name, time.GetUtcNow(), identity.TrustedPublisher);

        if (!relist && options.Value.DeleteMode == DeleteMode.HardDelete)
        {
            var deleted = await store.DeleteAsync(lowerId, lowerVersion, r => NewEvent(PackageEventType.Deleted, r), cancellationToken);
            Log("Deleted", deleted, identity);
            return deleted is null ? notFound : TypedResults.NoContent();
        }

        var (before, changed) = await store.SetListedAsync(
            lowerId, lowerVersion, relist, r => NewEvent(relist ? PackageEventType.Relisted : PackageEventType.Unlisted, r), cancellationToken);
        if (before is null)
        {
            return notFound;
        }

        if (changed)
        {
            Log(relist ? "Relisted" : "Unlisted", before, identity);
        }

        return relist ? TypedResults.Ok() : TypedResults.NoContent();
    }

    private void Log(string action, PackageRecord? record, ApiKeyIdentity identity)
    {
        if (record is not null)
        {
            logger.LogInformation("{Action} {PackageId} {Version} with key {KeyName}", action, record.Id, record.Version, identity.Name);
        }
    }
}
