using Microsoft.IdentityModel.Protocols;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// With <see cref="TrustedPublishingOptions.AllowHttpLoopbackIssuers"/> (tests): every address fetched, the discovery
/// document's and the <c>jwks_uri</c> it names, must be https or http on a loopback address.
/// </summary>
internal sealed class LoopbackDocumentRetriever(IDocumentRetriever inner) : IDocumentRetriever
{
    public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
        IssuerUri.Check(address, allowHttpLoopback: true) is null
            ? inner.GetDocumentAsync(address, cancel)
            : throw new ArgumentException("Only https or loopback http addresses are fetched.", nameof(address));
}
