using System.Text.Json.Nodes;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using Azure;
using Microsoft.Extensions.Options;
using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>
/// PackageBaseAddress/3.0.0, the only resource restore reads. The version list includes unlisted versions on
/// purpose: restore of an exact unlisted version must keep working (nuget.org semantics).
/// </summary>
public sealed class FlatContainerHandler(PackageStore store, PackageRowQueries rows, IOptions<FeedOptions> options)
{
    public async Task<IResult> VersionsAsync(HttpContext context, string id)
    {
        var versions = PackageIdentity.TryValidateId(id, out _)
            ? await rows.ListLowerVersionsAsync(id.ToLowerInvariant(), context.RequestAborted)
            : [];
        if (versions.Count == 0)
        {
            // The client treats 404 as "no versions here"; any other failure status breaks restore.
            return NotFound(id);
        }

        var sorted = versions.OrderBy(NuGetVersion.Parse);
        var list = new JsonArray(sorted.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        return JsonDocumentResult.Create(context, new JsonObject { ["versions"] = list });
    }

    public async Task<IResult> ContentAsync(HttpContext context, string id, string version, string file)
    {
        var record = await FindAsync(id, version, context.RequestAborted);
        if (record is null)
        {
            return NotFound(id);
        }

        var packageFile = $"{record.LowerId}.{record.LowerVersion}.nupkg";
        if (file.Equals(packageFile, StringComparison.OrdinalIgnoreCase))
        {
            return await PackageContentResult.CreateAsync(context, store, record, packageFile, options.Value);
        }

        if (file.Equals($"{record.LowerId}.nuspec", StringComparison.OrdinalIgnoreCase))
        {
            return await NuspecAsync(context, record);
        }

        if (file.Equals(EmbeddedFileResult.Readme, StringComparison.OrdinalIgnoreCase))
        {
            return await EmbeddedFileResult.ReadmeAsync(context, store, record, options.Value);
        }

        if (file.Equals(EmbeddedFileResult.Icon, StringComparison.OrdinalIgnoreCase))
        {
            return await EmbeddedFileResult.IconAsync(context, store, record, options.Value);
        }

        return NuGetResult.NotFound($"'{file}' is not a file of package '{record.Id}' version '{record.Version}'.");
    }

    private async Task<IResult> NuspecAsync(HttpContext context, PackageRecord record)
    {
        try
        {
            var nuspec = await store.ReadNuspecAsync(record, context.RequestAborted);
            context.Response.Headers.CacheControl = options.Value.FileCacheControl(300);
            return TypedResults.Bytes(nuspec, "application/xml", lastModified: record.Published);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return NuGetResult.NotFound("The .nuspec is not available (deleted while being read).");
        }
    }

    private async Task<PackageRecord?> FindAsync(string id, string version, CancellationToken cancellationToken)
    {
        return PackageKey.TryParse(id, version, out var key, out _)
            ? await store.FindAsync(key.LowerId, key.LowerVersion, cancellationToken)
            : null;
    }

    private static NuGetResult NotFound(string id) => NuGetResult.NotFound($"Package '{id}' was not found.");
}
