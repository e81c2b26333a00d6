using FeedFunctions.Packages;

namespace FeedFunctions.Publishing;

/// <summary><c>GET /api/v2/package/{id}/{version}</c>: the legacy V2 download route, streamed from Blob.</summary>
public sealed class DownloadHandler(PackageStore store)
{
    public async Task<IResult> DownloadAsync(HttpContext context, string id, string version)
    {
        if (!PackageIdentity.TryValidateId(id, out var idError))
        {
            return NuGetResult.BadRequest(idError!);
        }

        if (!PackageIdentity.TryParseVersion(version, out var parsed, out var versionError))
        {
            return NuGetResult.BadRequest(versionError!);
        }

        var lowerVersion = parsed!.ToNormalizedString().ToLowerInvariant();
        var record = await store.FindAsync(id.ToLowerInvariant(), lowerVersion, context.RequestAborted);
        if (record is null)
        {
            return NuGetResult.NotFound($"Package '{id}' version '{parsed.ToNormalizedString()}' was not found.");
        }

        return await PackageContentResult.CreateAsync(context, store, record, $"{record.LowerId}.{record.LowerVersion}.nupkg");
    }
}
