using Azure;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
using Microsoft.Net.Http.Headers;

namespace FeedFunctions.Publishing;

/// <summary>Streams a package's .nupkg from Blob with a strong ETag (its SHA-512) and 304 for If-None-Match.</summary>
public static class PackageContentResult
{
    public static async Task<IResult> CreateAsync(HttpContext context, PackageStore store, PackageRecord record, string fileName, FeedOptions options)
    {
        var etag = new EntityTagHeaderValue($"\"{record.Sha512}\"");
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            context.Response.Headers.ETag = etag.ToString();
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        try
        {
            var download = await store.OpenPackageAsync(record, context.RequestAborted);
            context.Response.RegisterForDispose(download);
            context.Response.Headers.CacheControl = options.FileCacheControl(300);
            return TypedResults.Stream(download.Content, "application/octet-stream", fileName, lastModified: record.Published, entityTag: etag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return NuGetResult.NotFound("The package content is not available (deleted while being read).");
        }
    }
}
