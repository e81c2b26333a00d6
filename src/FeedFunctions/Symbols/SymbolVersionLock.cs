using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FeedFunctions.Storage;

namespace FeedFunctions.Symbols;

/// <summary>
/// Serializes symbol pushes of one package version with a blob lease, so that concurrent pushes of different
/// .snupkg files end with the index of exactly one of them (each push replaces the version's whole set of entries,
/// which two interleaved pushes would otherwise mix). The lease lasts 60 s and is renewed while held; a holder that
/// dies releases it by expiry.
/// </summary>
public sealed class SymbolVersionLock(FeedStorage storage, TimeProvider time)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Longer than a lease, so a push waits out a dead holder; a live one renews, and this gives up.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(90);

    /// <summary>Symbol blob names start with a hex key, so this prefix names nothing else.</summary>
    public const string Prefix = "locks/";

    public async Task<IAsyncDisposable> AcquireAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        var blob = storage.Symbols.GetBlobClient(Name(lowerId, lowerVersion));
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new Azure.Storage.Blobs.Models.BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // It exists (and may be leased): that is all it needs to.
        }

        var lease = blob.GetBlobLeaseClient();
        var deadline = time.GetUtcNow() + MaxWait;
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new Held(lease, time);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && time.GetUtcNow() < deadline)
            {
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes a deleted version's lock blob; one a push holds right now stays (that push is answered 404 anyway).</summary>
    public async Task DeleteAsync(string lowerId, string lowerVersion, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Symbols.GetBlobClient(Name(lowerId, lowerVersion)).DeleteIfExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
        }
    }

    private static string Name(string lowerId, string lowerVersion) => $"{Prefix}{lowerId}/{lowerVersion}";

    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Held(BlobLeaseClient lease, TimeProvider time)
        {
            _lease = lease;
            _renewing = RenewAsync(time);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Expired and maybe taken by the next push already; nothing to give back.
            }
        }

        private async Task RenewAsync(TimeProvider time)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(RenewEvery, time, _stop.Token).ConfigureAwait(false);
                    await _lease.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (RequestFailedException)
            {
                // Lost: the push carries on (ETags still keep every entry pointing at its blob); only the
                // all-of-one-push guarantee is weakened, and only after the holder stalled for a whole lease.
            }
        }
    }
}
