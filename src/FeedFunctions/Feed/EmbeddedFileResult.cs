using Azure;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;

namespace FeedFunctions.Feed;

/// <summary>
/// <c>{id}/{version}/readme</c> and <c>{id}/{version}/icon</c> in the flat container, from the blobs the push
/// stored (the .nupkg is never opened). Both are the package's bytes, so the browser must take them for exactly
/// what the feed says they are: nosniff, the readme as text, the icon only with the image type its bytes showed.
/// </summary>
public static class EmbeddedFileResult
{
    public const string Readme = "readme";
    public const string Icon = "icon";

    public const string ReadmeContentType = "text/markdown; charset=utf-8";

    public static Task<IResult> ReadmeAsync(HttpContext context, PackageStore store, PackageRecord record, FeedOptions options) =>
        string.IsNullOrEmpty(record.ReadmeBlobName)
            ? Task.FromResult<IResult>(NuGetResult.NotFound($"Package '{record.Id}' version '{record.Version}' has no readme."))
            : StreamAsync(context, store, record, record.ReadmeBlobName, ReadmeContentType, options);

    public static Task<IResult> IconAsync(HttpContext context, PackageStore store, PackageRecord record, FeedOptions options) =>
        string.IsNullOrEmpty(record.IconBlobName) || record.IconContentType is not { } type || !ImageTypes.All.Contains(type)
            ? Task.FromResult<IResult>(NuGetResult.NotFound($"Package '{record.Id}' version '{record.Version}' has no embedded icon."))
            : StreamAsync(context, store, record, record.IconBlobName, type, options);

    private static async Task<IResult> StreamAsync(
        HttpContext context, PackageStore store, PackageRecord record, string blobName, string contentType, FeedOptions options)
    {
        try
        {
            var download = await store.OpenBlobAsync(blobName, context.RequestAborted);
            context.Response.RegisterForDispose(download);
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers.CacheControl = options.FileCacheControl(3600);
            return TypedResults.Stream(download.Content, contentType, lastModified: record.Published);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return NuGetResult.NotFound("The file is not available (deleted while being read).");
        }
    }
}
