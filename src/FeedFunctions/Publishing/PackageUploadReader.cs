using FeedFunctions.Feed;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FeedFunctions.Publishing;

/// <summary>
/// Streams a push body to memory (up to <see cref="InMemoryLimit"/>) or a temporary file while computing its SHA-512
/// (the row's hash and ETag). Accepts multipart/form-data (the first part is the package, as the NuGet client sends it, chunked) or a
/// raw body. The size limit is enforced while reading, so nothing over it is ever stored.
/// </summary>
public sealed class PackageUploadReader(IOptions<FeedOptions> options)
{
    /// <summary>
    /// Packages up to this size stay in memory: most pushes are a few kilobytes to a few megabytes, and a file costs
    /// a create, writes, a read back and a delete. Bounded per push, and a Functions instance runs 16 HTTP requests
    /// at a time by default (Flex Consumption), so at most 64 MiB are held this way.
    /// </summary>
    public const int InMemoryLimit = 4 * 1024 * 1024;

    private const int CopyBufferSize = 128 * 1024;

    /// <summary>Buffers in flight between the receive loop and the hashing thread.</summary>
    private const int HashDepth = 16;
    private const int MaxBoundaryLength = 70;

    private static readonly string[] RawContentTypes =
        ["application/octet-stream", "application/zip", "application/x-zip-compressed", "binary/octet-stream"];

    public Task<SpooledPackage> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        ReadAsync(request, stager: null, phases: null, cancellationToken);

    /// <param name="stager">Also gets every byte as it arrives, to stage blocks while the body is still streaming.</param>
    /// <param name="phases">Gets where the receive loop spent its time: waiting for the body, hashing, spooling, staging.</param>
    public async Task<SpooledPackage> ReadAsync(HttpRequest request, PackageBlockStager? stager, PushPhases? phases, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxPackageSizeBytes;
        if (request.ContentLength > limit + MultipartOverheadAllowance)
        {
            throw Reject(NuGetResult.TooLarge(TooLargeReason(limit)));
        }

        var body = await OpenPackageStreamAsync(request, cancellationToken).ConfigureAwait(false);
        await using var spool = new PackageSpool(InMemoryLimit, (int)Math.Min(request.ContentLength ?? 64 * 1024, InMemoryLimit), CreateTempFile);
        var (length, sha512) = await CopyAndHashAsync(body, spool, stager, phases, limit, cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            throw Reject(NuGetResult.BadRequest("The package is empty."));
        }

        return new SpooledPackage(await spool.DetachAsync(cancellationToken).ConfigureAwait(false), length, sha512);
    }

    /// <summary>Multipart framing around the package: generous for headers, tiny next to the package.</summary>
    public const long MultipartOverheadAllowance = 1024 * 1024;

    private static async Task<Stream> OpenPackageStreamAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return request.Body;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || mediaType.MediaType.Value is not { } type)
        {
            throw Reject(NuGetResult.BadRequest("The Content-Type header is malformed."));
        }

        if (type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
            if (string.IsNullOrWhiteSpace(boundary))
            {
                throw Reject(NuGetResult.BadRequest("The multipart body has no boundary."));
            }

            if (boundary.Length > MaxBoundaryLength)
            {
                throw Reject(NuGetResult.BadRequest("The multipart boundary is longer than 70 characters."));
            }

            // The preamble and part headers are bounded by HeadersLengthLimit; the package part by our own copy limit.
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
            var section = await ReadSectionAsync(reader, cancellationToken).ConfigureAwait(false)
                ?? throw Reject(NuGetResult.BadRequest("The multipart body contains no parts."));
            return section.Body;
        }

        if (RawContentTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
        {
            return request.Body;
        }

        throw Reject(new NuGetResult(
            StatusCodes.Status415UnsupportedMediaType,
            "Send the package as multipart/form-data or application/octet-stream."));
    }

    private static async Task<MultipartSection?> ReadSectionAsync(MultipartReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Reject(NuGetResult.BadRequest("The multipart body is malformed: " + ex.Message));
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Reject(NuGetResult.BadRequest("The multipart body ended before its first part."));
        }
    }

    private static async Task<(long Length, byte[] Sha512)> CopyAndHashAsync(
        Stream body, PackageSpool spool, PackageBlockStager? stager, PushPhases? phases, long limit, CancellationToken cancellationToken)
    {
        await using var sha512 = new PipelinedSha512(CopyBufferSize, HashDepth);
        long total = 0;
        while (true)
        {
            var buffer = await sha512.RentAsync(cancellationToken).ConfigureAwait(false);
            int read;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                phases?.Part("spool.read", started);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw Reject(NuGetResult.TooLarge(TooLargeReason(limit)));
            }
            catch (InvalidDataException ex)
            {
                throw Reject(NuGetResult.BadRequest("The multipart body is malformed: " + ex.Message));
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested && body is not FileStream)
            {
                // MultipartReaderStream throws IOException when the body ends before the closing boundary.
                throw Reject(NuGetResult.BadRequest("The upload ended before the package was complete (truncated body)."));
            }

            if (read == 0)
            {
                sha512.Return(buffer);
                started = System.Diagnostics.Stopwatch.GetTimestamp();
                var hash = await sha512.CompleteAsync().ConfigureAwait(false);
                phases?.Part("spool.hashwait", started);
                return (total, hash);
            }

            total += read;
            if (total > limit)
            {
                sha512.Return(buffer);
                throw Reject(NuGetResult.TooLarge(TooLargeReason(limit)));
            }

            started = System.Diagnostics.Stopwatch.GetTimestamp();
            await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            phases?.Part("spool.write", started);
            if (stager is not null)
            {
                started = System.Diagnostics.Stopwatch.GetTimestamp();
                await stager.AppendAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                phases?.Part("spool.stage", started);
            }

            // Last: the hasher owns the buffer from here on.
            await sha512.AppendAsync(buffer, read, cancellationToken).ConfigureAwait(false);
        }
    }

    private FileStream CreateTempFile()
    {
        var folder = string.IsNullOrEmpty(options.Value.TempPath) ? Path.GetTempPath() : options.Value.TempPath;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"feed-upload-{Guid.NewGuid():N}.nupkg");
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
            FileOptions.DeleteOnClose | FileOptions.SequentialScan);
    }

    private static string TooLargeReason(long limit) =>
        $"The package file exceeds the size limit of {limit} bytes. Please try again with a smaller package.";

    private static UploadRejectedException Reject(NuGetResult result) => new(result);
}
