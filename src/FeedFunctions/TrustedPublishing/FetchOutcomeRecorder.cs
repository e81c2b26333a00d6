using Microsoft.IdentityModel.Protocols;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Remembers whether the latest document fetched for one issuer (its discovery document, then the key set it names)
/// came back. <see cref="ConfigurationManager{T}"/> keeps serving the cached keys when a refresh fails and does not say
/// so; the feed needs to know, because a key id missing from keys that could not be refreshed is the issuer's outage
/// (503, retry), not a bad token (401).
/// </summary>
internal sealed class FetchOutcomeRecorder(IDocumentRetriever inner) : IDocumentRetriever
{
    private volatile bool _lastFailed;

    /// <summary>Whether the most recent fetch attempt failed (false before any).</summary>
    public bool LastFetchFailed => _lastFailed;

    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        try
        {
            var document = await inner.GetDocumentAsync(address, cancel).ConfigureAwait(false);
            _lastFailed = false;
            return document;
        }
        catch
        {
            _lastFailed = true;
            throw;
        }
    }
}
