using System.Security.Cryptography;
using System.Text;
using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Hosting;
using FeedFunctions.Packages;
using FeedFunctions.Telemetry;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Publishing;

/// <summary>
/// <c>PUT /api/v2/package</c>. Order matters for durability: spool and validate, upload the blobs to this push's
/// own folder, then commit the row (with its pending event) in one transaction. A crash before the commit
/// leaves only an unreferenced blob; after it, the package is complete and its event is in the outbox.
/// </summary>
public sealed class PushHandler(
    WriteAccess writeAccess,
    PackageUploadReader uploadReader,
    PackageStore store,
    PackageEventOutbox outbox,
    AfterResponseWork afterResponse,
    IOptions<FeedOptions> options,
    TimeProvider time,
    ILogger<PushHandler> logger)
{
    /// <summary>The push as one span (storage calls are its children) and counted by outcome (<see cref="FeedTelemetry"/>).</summary>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        using var activity = FeedTelemetry.StartRequestActivity("feed.push", context.Request);
        try
        {
            var result = await PushAsync(context);
            FeedTelemetry.RecordPush(FeedTelemetry.StatusOf(result), activity);
            return result;
        }
        catch (Exception ex)
        {
            // The pipeline answers it (503 for storage, else 500); counted here as failed.
            FeedTelemetry.RecordPush(StatusCodes.Status500InternalServerError, activity);
            activity?.AddException(ex);
            throw;
        }
    }

    private async Task<IResult> PushAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Push | ApiKeyScopes.PushVersion, "pushes");
        if (denied is not null)
        {
            return denied;
        }

        var phases = new PushPhases();
        try
        {
            await using var stager = store.CreateStager();
            await using var upload = await uploadReader.ReadAsync(context.Request, stager, logger.IsEnabled(LogLevel.Debug) ? phases : null, cancellationToken);
            phases.End("spool");
            var staged = await stager.CompleteAsync(upload.Length, cancellationToken);
            phases.End("stage");
            var metadata = await PackageReader.ReadAsync(upload.OpenRead(), new PackageReaderOptions(), cancellationToken);
            phases.End("validate");
            var result = await CommitAsync(context, identity!, upload, staged, metadata, phases, cancellationToken);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Push phases of {PackageId} {Version} ({Size} bytes): {Phases}", metadata.Id, metadata.NormalizedVersion, upload.Length, phases);
            }

            return result;
        }
        catch (UploadRejectedException ex)
        {
            return ex.Result;
        }
        catch (InvalidPackageException ex)
        {
            return NuGetResult.BadRequest(ex.Message);
        }
    }

    private async Task<IResult> CommitAsync(
        HttpContext context, ApiKeyIdentity identity, SpooledPackage upload, StagedPackageBlob? staged, PackageMetadata metadata,
        PushPhases phases, CancellationToken cancellationToken)
    {
        var (lowerId, lowerVersion) = (metadata.LowerId, metadata.LowerVersion);
        var display = $"'{metadata.Id}' and version '{metadata.NormalizedVersion}'";
        if (!identity.Allows(ApiKeyScopes.Push | ApiKeyScopes.PushVersion, metadata.Id))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to push package '{metadata.Id}'.");
        }

        var session = SessionHash(context);

        // Blocks staged under another id/version than the validated one (a zip whose local entry disagrees with its
        // central directory) are left uncommitted: the package is uploaded again from the spooled file.
        var useStaged = staged is not null && staged.LowerId == lowerId && staged.LowerVersion == lowerVersion;
        var folder = useStaged ? staged!.Folder : PackageBlobNames.NewUploadFolder(upload.Sha512Hex);
        var record = PackageRecordFactory.Create(metadata, upload, folder, identity.Name, session, time.GetUtcNow());

        // The blobs go up first and the row insert is the existence check: a new version (the common case) costs no
        // table read. Only a push the insert refuses reads the row it met, to tell a retry or an allowed overwrite
        // from a duplicate. Nothing is visible before the row commits either way.
        var blobs = Task.WhenAll(
            useStaged
                ? store.CommitStagedAsync(staged!, cancellationToken)
                : store.UploadAsync(record.BlobName, upload.OpenRead(), "application/octet-stream", cancellationToken),
            UploadBytesAsync(record.ReadmeBlobName, metadata.Readme, EmbeddedFileResult.ReadmeContentType, cancellationToken),
            UploadBytesAsync(record.IconBlobName, metadata.Icon?.Content, metadata.Icon?.ContentType, cancellationToken));
        try
        {
            // A key that may only add versions must not create a package id: the one check that reads before writing.
            if ((identity.Scopes & ApiKeyScopes.Push) == 0 && !await store.IdExistsAsync(lowerId, cancellationToken))
            {
                await AbandonBlobsAsync(blobs, record);
                return NuGetResult.Forbidden($"{identity.GrantDescription} may only push new versions of existing packages; '{metadata.Id}' is new.");
            }

            await blobs;
        }
        catch
        {
            await AbandonBlobsAsync(blobs, record);
            throw;
        }

        phases.End("upload");
        var packageEvent = PackageEvent.Create(
            PackageEventType.Uploaded, metadata.Id, metadata.NormalizedVersion, upload.Length, upload.Sha512Base64, identity.Name, time.GetUtcNow(), identity.TrustedPublisher);
        var (outcome, replaced) = await CommitRowAsync(record, packageEvent, metadata, upload, session, cancellationToken);
        phases.End("commit");
        if (outcome is not null)
        {
            // Refused, or a retry of our own earlier push: our blobs are referenced by nobody.
            await store.DeleteBlobsAsync(record, CancellationToken.None);
            return outcome.StatusCode == StatusCodes.Status409Conflict ? Duplicate(display) : outcome;
        }

        // The event is committed with the row (the outbox); sending it is not part of the answer. It goes out beside
        // the answer (not in Response.OnCompleted: see AfterResponseWork), and the outbox sweep sends it should this
        // instance stop before that.
        afterResponse.Start($"send event {packageEvent.EventId}", () => outbox.DispatchAsync(lowerId, packageEvent, CancellationToken.None));
        if (replaced is not null)
        {
            afterResponse.Start($"delete the blobs of the replaced {replaced.Id} {replaced.Version}", () => store.DeleteBlobsAsync(replaced, CancellationToken.None));
        }

        logger.LogInformation("Pushed {PackageId} {Version} ({Size} bytes) with key {KeyName}", metadata.Id, metadata.NormalizedVersion, upload.Length, identity.Name);
        FeedTelemetry.PushedBytes.Add(upload.Length);
        return NuGetResult.Created();
    }

    /// <summary>
    /// Inserts the row with its pending event. When a row is already there, reads it: our own row (the retry policy
    /// resent an insert whose response was lost, and our upload folder is unique) is a success; a retry of this
    /// session's earlier push answers 201; an allowed overwrite replaces it, ETag-checked. Returns the answer when the
    /// push did not commit (null when it did), and the row it replaced, whose blobs are then garbage.
    /// </summary>
    private async Task<(NuGetResult? Outcome, PackageRecord? Replaced)> CommitRowAsync(
        PackageRecord record, PackageEvent packageEvent, PackageMetadata metadata, SpooledPackage upload, string? session, CancellationToken cancellationToken)
    {
        // Bounded: each pass follows a change someone else made between our read and our write.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await store.AddAsync(record, packageEvent, cancellationToken))
            {
                return (null, null);
            }

            var existing = await store.FindAsync(record.LowerId, record.LowerVersion, cancellationToken);
            if (existing?.BlobName == record.BlobName)
            {
                return (null, null);
            }

            if (existing is null)
            {
                continue;
            }

            if (IsRetryOf(existing, upload, session))
            {
                return (NuGetResult.Created("The package was already pushed by this session (retry)."), null);
            }

            if (!OverwriteAllowed(metadata))
            {
                return (NuGetResult.Conflict("duplicate"), null);
            }

            if (await store.ReplaceAsync(record, existing.ETag!.Value, packageEvent, cancellationToken))
            {
                return (null, existing);
            }

            // Our own replace whose response was lost also lands here: the row then names our blob.
            if ((await store.FindAsync(record.LowerId, record.LowerVersion, cancellationToken))?.BlobName == record.BlobName)
            {
                return (null, existing);
            }
        }

        return (NuGetResult.Conflict("duplicate"), null);
    }

    /// <summary>A small blob of this push (nuspec, readme, icon) from memory; nothing when the package has none.</summary>
    private Task UploadBytesAsync(string? blobName, ReadOnlyMemory<byte>? content, string? contentType, CancellationToken cancellationToken) =>
        blobName is null || content is not { } bytes
            ? Task.CompletedTask
            : store.UploadAsync(blobName, new MemoryStream(bytes.ToArray()), contentType ?? "application/octet-stream", cancellationToken);

    /// <summary>Lets this push's own uploads finish (success or not), then removes whatever of them landed.</summary>
    private async Task AbandonBlobsAsync(Task uploads, PackageRecord record)
    {
        try
        {
            await uploads;
        }
        catch (Exception)
        {
            // Failed or cancelled: whatever did land is deleted below, and the push's answer does not depend on it.
        }

        await store.DeleteBlobsAsync(record, CancellationToken.None);
    }

    private bool OverwriteAllowed(PackageMetadata metadata) => options.Value.AllowOverwrite switch
    {
        OverwritePolicy.True => true,
        OverwritePolicy.PrereleaseOnly => metadata.IsPrerelease,
        _ => false,
    };

    private static bool IsRetryOf(PackageRecord existing, SpooledPackage upload, string? session) =>
        session is not null && existing.PushSession == session && existing.Sha512 == upload.Sha512Base64;

    /// <summary>
    /// The NuGet client sends one X-NuGet-Session-Id per push command and reuses it on retries, which tells a
    /// retry of a push that committed (answer 201 again) from a second push of the same package (409).
    /// </summary>
    private static string? SessionHash(HttpContext context)
    {
        var session = context.Request.Headers["X-NuGet-Session-Id"].ToString();
        return session.Length is > 0 and <= 128
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session)))[..32]
            : null;
    }

    private static NuGetResult Duplicate(string display) =>
        NuGetResult.Conflict($"A package with ID {display} already exists and cannot be modified.");
}
