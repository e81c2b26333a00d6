using FeedFunctions.Auth;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using FeedFunctions.Symbols;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>
/// <c>PUT /api/v2/symbolpackage</c> (SymbolPackagePublish/4.9.0): a .snupkg for a version already on the feed.
/// Same body handling and key rules as a push. Symbols do not change what restore sees, so no row and no event.
/// Every PDB is checked and indexed for the symbol server before the push answers (see <see cref="SymbolIndex"/>):
/// checking means decompressing and hashing each PDB anyway, and indexing then costs one blob and two rows per PDB,
/// so a symbol is downloadable as soon as the client reports success, with no event type of its own.
/// </summary>
public sealed class SymbolPackageHandler(
    WriteAccess writeAccess,
    PackageUploadReader uploadReader,
    PackageStore store,
    SymbolIndex symbolIndex,
    SymbolVersionLock symbolLock,
    IOptions<FeedOptions> options,
    IOptions<SymbolsOptions> symbolsOptions,
    ILogger<SymbolPackageHandler> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var (identity, denied) = await writeAccess.CheckAsync(context, ApiKeyScopes.Push | ApiKeyScopes.PushVersion, "pushes");
        if (denied is not null)
        {
            return denied;
        }

        try
        {
            await using var upload = await uploadReader.ReadAsync(context.Request, cancellationToken);
            var metadata = await PackageReader.ReadSymbolPackageAsync(upload.OpenRead(), new PackageReaderOptions(), cancellationToken);
            await using var pdbs = await SymbolPackagePdbs.ExtractAsync(upload.OpenRead(), TempFolder, symbolsOptions.Value.MaxPdbSizeBytes, cancellationToken);
            return await StoreAsync(identity!, upload, metadata, pdbs, cancellationToken);
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

    private string TempFolder => string.IsNullOrEmpty(options.Value.TempPath) ? Path.GetTempPath() : options.Value.TempPath;

    private async Task<IResult> StoreAsync(
        ApiKeyIdentity identity, SpooledPackage upload, PackageMetadata metadata, SymbolPackagePdbs pdbs, CancellationToken cancellationToken)
    {
        if (!identity.Allows(ApiKeyScopes.Push | ApiKeyScopes.PushVersion, metadata.Id))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to push symbols for package '{metadata.Id}'.");
        }

        if (await store.FindAsync(metadata.LowerId, metadata.LowerVersion, cancellationToken) is null)
        {
            return NuGetResult.NotFound($"The package '{metadata.Id}' version '{metadata.NormalizedVersion}' does not exist; push the .nupkg before its symbols.");
        }

        // One symbol push per version at a time: the stored .snupkg and the index then come from the same push.
        await using (await symbolLock.AcquireAsync(metadata.LowerId, metadata.LowerVersion, cancellationToken))
        {
            await store.UploadSymbolsAsync(metadata.LowerId, metadata.LowerVersion, upload.OpenRead(), cancellationToken);
            await symbolIndex.ReplaceAsync(metadata.LowerId, metadata.LowerVersion, pdbs.Pdbs, cancellationToken);
        }

        if (await store.FindAsync(metadata.LowerId, metadata.LowerVersion, cancellationToken) is null)
        {
            // Hard-deleted while this push ran: its event's handler may have looked before these entries existed.
            await symbolIndex.RemovePackageAsync(metadata.LowerId, metadata.LowerVersion, indexedBefore: null, cancellationToken);
            return NuGetResult.NotFound($"The package '{metadata.Id}' version '{metadata.NormalizedVersion}' was deleted while its symbols were pushed.");
        }

        logger.LogInformation(
            "Stored symbols for {PackageId} {Version} ({Size} bytes, {PdbCount} PDBs indexed) with key {KeyName}",
            metadata.Id, metadata.NormalizedVersion, upload.Length, pdbs.Pdbs.Count, identity.Name);
        return NuGetResult.Created();
    }
}
