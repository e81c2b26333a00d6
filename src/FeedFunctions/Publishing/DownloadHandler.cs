using FeedFunctions.Feed;
using FeedFunctions.Packages;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Publishing;

/// <summary><c>GET /api/v2/package/{id}/{version}</c>: the legacy V2 download route, streamed from Blob.</summary>
public sealed class DownloadHandler(PackageStore store, IOptions<FeedOptions> options)
{
    public async Task<IResult> DownloadAsync(HttpContext context, string id, string version)
    {
        if (!PackageKey.TryParse(id, version, out var key, out var error))
        {
            return NuGetResult.BadRequest(error);
        }

        var record = await store.FindAsync(key.LowerId, key.LowerVersion, context.RequestAborted);
        if (record is null)
        {
            return NuGetResult.NotFound(key.NotFoundReason);
        }

        return await PackageContentResult.CreateAsync(context, store, record, $"{record.LowerId}.{record.LowerVersion}.nupkg", options.Value);
    }
}
