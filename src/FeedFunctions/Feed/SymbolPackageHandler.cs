using FeedFunctions.Auth;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;

namespace FeedFunctions.Feed;

/// <summary>
/// <c>PUT /api/v2/symbolpackage</c> (SymbolPackagePublish/4.9.0): a .snupkg for a version already on the feed.
/// Same body handling and key rules as a push. Symbols do not change what restore sees, so no row and no event.
/// </summary>
public sealed class SymbolPackageHandler(
    WriteAccess writeAccess,
    PackageUploadReader uploadReader,
    PackageStore store,
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
            return await StoreAsync(identity!, upload, metadata, cancellationToken);
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

    private async Task<IResult> StoreAsync(ApiKeyIdentity identity, SpooledPackage upload, PackageMetadata metadata, CancellationToken cancellationToken)
    {
        if (!identity.Allows(ApiKeyScopes.Push | ApiKeyScopes.PushVersion, metadata.Id))
        {
            return NuGetResult.Forbidden($"{identity.GrantDescription} does not have permission to push symbols for package '{metadata.Id}'.");
        }

        if (await store.FindAsync(metadata.LowerId, metadata.LowerVersion, cancellationToken) is null)
        {
            return NuGetResult.NotFound($"The package '{metadata.Id}' version '{metadata.NormalizedVersion}' does not exist; push the .nupkg before its symbols.");
        }

        await store.UploadSymbolsAsync(metadata.LowerId, metadata.LowerVersion, upload.OpenRead(), cancellationToken);
        logger.LogInformation("Stored symbols for {PackageId} {Version} ({Size} bytes) with key {KeyName}", metadata.Id, metadata.NormalizedVersion, upload.Length, identity.Name);
        return NuGetResult.Created();
    }
}
