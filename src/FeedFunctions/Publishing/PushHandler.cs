using System.Security.Cryptography;
using System.Text;
using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Feed;
using FeedFunctions.Packages;
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
    IOptions<FeedOptions> options,
    TimeProvider time,
    ILogger<PushHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
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
            await using var upload = await uploadReader.ReadAsync(context.Request, stager, cancellationToken);
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

        // The blobs go up while the existence check runs: a new version (the common case) saves a round trip; a
        // duplicate pays for two blobs it then deletes. Nothing is visible before the row commits either way.
        var blobs = Task.WhenAll(
            useStaged
                ? store.CommitStagedAsync(staged!, upload.Md5, cancellationToken)
                : store.UploadAsync(record.BlobName, upload.OpenRead(), upload.Md5, "application/octet-stream", cancellationToken),
            UploadBytesAsync(record.NuspecBlobName, metadata.NuspecBytes, "application/xml", cancellationToken),
            UploadBytesAsync(record.ReadmeBlobName, metadata.Readme, "text/markdown; charset=utf-8", cancellationToken),
            UploadBytesAsync(record.IconBlobName, metadata.Icon?.Content, metadata.Icon?.ContentType, cancellationToken));
        PackageRecord? existing;
        NuGetResult? refused = null;
        try
        {
            existing = await store.FindAsync(lowerId, lowerVersion, cancellationToken);
            phases.End("find");
            if (existing is not null)
            {
                if (IsRetryOf(existing, upload, session))
                {
                    refused = NuGetResult.Created("The package was already pushed by this session (retry).");
                }
                else if (!OverwriteAllowed(metadata))
                {
                    refused = Duplicate(display);
                }
            }
            else if ((identity.Scopes & ApiKeyScopes.Push) == 0 && !await store.IdExistsAsync(lowerId, cancellationToken))
            {
                refused = NuGetResult.Forbidden($"{identity.GrantDescription} may only push new versions of existing packages; '{metadata.Id}' is new.");
            }
        }
        catch
        {
            await AbandonBlobsAsync(blobs, record);
            throw;
        }

        if (refused is not null)
        {
            await AbandonBlobsAsync(blobs, record);
            return refused;
        }

        await blobs;
        phases.End("upload");

        var packageEvent = PackageEvent.Create(
            PackageEventType.Uploaded, metadata.Id, metadata.NormalizedVersion, upload.Length, upload.Sha512Base64, identity.Name, time.GetUtcNow(), identity.TrustedPublisher);
        var committed = existing is null
            ? await store.AddAsync(record, packageEvent, cancellationToken)
            : await store.ReplaceAsync(record, existing.ETag!.Value, packageEvent, cancellationToken);
        phases.End("commit");
        if (!committed)
        {
            // The storage retry policy resends a commit whose response was lost, and the resend then conflicts with
            // our own row. Our upload folder is unique, so a row naming our blob is ours: we did commit.
            var winner = await store.FindAsync(lowerId, lowerVersion, cancellationToken);
            if (winner?.BlobName != record.BlobName)
            {
                // Lost a race: our blobs are referenced by nobody. A retry of our own push that won is still a success.
                await store.DeleteBlobsAsync(record, CancellationToken.None);
                return winner is not null && IsRetryOf(winner, upload, session)
                    ? NuGetResult.Created("The package was already pushed by this session (retry).")
                    : Duplicate(display);
            }
        }

        if (existing is not null)
        {
            await store.DeleteBlobsAsync(existing, CancellationToken.None);
        }

        await outbox.DispatchAsync(lowerId, packageEvent, CancellationToken.None);
        phases.End("dispatch");
        logger.LogInformation("Pushed {PackageId} {Version} ({Size} bytes) with key {KeyName}", metadata.Id, metadata.NormalizedVersion, upload.Length, identity.Name);
        return NuGetResult.Created();
    }

    /// <summary>A small blob of this push (nuspec, readme, icon) from memory; nothing when the package has none.</summary>
    private Task UploadBytesAsync(string? blobName, ReadOnlyMemory<byte>? content, string? contentType, CancellationToken cancellationToken) =>
        blobName is null || content is not { } bytes
            ? Task.CompletedTask
            : store.UploadAsync(blobName, new MemoryStream(bytes.ToArray()), MD5.HashData(bytes.Span), contentType ?? "application/octet-stream", cancellationToken);

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
