using Azure;
using FeedFunctions.Feed;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Symbols;

/// <summary>
/// SSQP download, <c>GET|HEAD /download/symbols/{file}/{key}/{file}</c>: one partition read for the entries, then
/// (GET only) the PDB streamed from its blob. With a <c>SymbolChecksum</c> header only a PDB whose checksum is listed
/// is served (404 otherwise, as symbols.nuget.org answers); without one the earliest indexed PDB under the key is
/// served, unless <see cref="SymbolsOptions.RequireChecksum"/>. The earliest, so that a later .snupkg claiming an
/// existing PDB id cannot take over what clients without a checksum get.
/// </summary>
public sealed class SymbolDownloadHandler(SymbolIndex index, IOptions<SymbolsOptions> symbolsOptions, IOptions<FeedOptions> feedOptions)
{
    /// <summary>PDBs under a key are immutable (their id names their content); an hour keeps a debugging session's re-reads local.</summary>
    private const int MaxAgeSeconds = 3600;

    public async Task<IResult> DownloadAsync(HttpContext context, string file, string key, string fileAgain)
    {
        if (!file.Equals(fileAgain, StringComparison.OrdinalIgnoreCase) || !SymbolKey.TryNormalize(file, key, out var lowerFile, out var lowerKey))
        {
            return NotFound(file, key);
        }

        var checksums = SymbolChecksumHeader.Parse(context.Request);
        if (checksums is null && symbolsOptions.Value.RequireChecksum)
        {
            return NuGetResult.NotFound($"This feed serves symbols only to requests with a {SymbolChecksumHeader.Name} header.");
        }

        var entries = await index.FindAsync(lowerKey, lowerFile, context.RequestAborted);
        var entry = checksums is null ? entries.FirstOrDefault() : entries.FirstOrDefault(e => checksums.Contains(e.Checksum));
        if (entry is null)
        {
            return entries.Count > 0
                ? NuGetResult.NotFound($"No symbol file '{lowerFile}' with key '{lowerKey}' matches the {SymbolChecksumHeader.Name} sent.")
                : NotFound(lowerFile, lowerKey);
        }

        var response = context.Response;
        response.Headers.CacheControl = feedOptions.Value.FileCacheControl(MaxAgeSeconds);
        response.Headers.Vary = SymbolChecksumHeader.Name;
        response.Headers.ETag = $"\"{entry.Checksum}\"";
        if (HttpMethods.IsHead(context.Request.Method))
        {
            // The entry knows the length: HEAD costs the one table read.
            response.ContentLength = entry.Length;
            response.ContentType = "application/octet-stream";
            return TypedResults.Ok();
        }

        try
        {
            var download = await index.OpenAsync(entry, context.RequestAborted);
            response.RegisterForDispose(download);
            response.ContentLength = entry.Length;
            return TypedResults.Stream(download.Content, "application/octet-stream");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return NuGetResult.NotFound("The symbol file is not available (deleted while being read).");
        }
    }

    private static NuGetResult NotFound(string file, string key) =>
        NuGetResult.NotFound($"No symbol file '{NuGetResult.Sanitize(file)}' with key '{NuGetResult.Sanitize(key)}' is on this feed.");
}
