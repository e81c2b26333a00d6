namespace FeedFunctions.TrustedPublishing;

/// <summary>A trusted issuer's discovery document or keys could not be had; the message never holds token content.</summary>
public sealed class IssuerMetadataException(string message, Exception? inner) : Exception(message, inner);
