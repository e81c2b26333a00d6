namespace FeedFunctions.TrustedPublishing;

/// <summary>The answer of <c>POST /api/v2/token</c>: a feed API key, shown this once, and what it may do until when.</summary>
public sealed record TokenExchangeResponse(string ApiKey, DateTimeOffset Expires, string Name, string Scopes, IReadOnlyList<string> Packages);
