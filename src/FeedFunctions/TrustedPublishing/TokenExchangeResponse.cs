namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// The answer of <c>POST /api/v2/token</c>: nuget.org's fields first, in its order (<c>tokenType</c>, <c>expires</c>,
/// <c>apiKey</c>, which the NuGet/login action reads), then what the key may do: a feed API key, shown this once.
/// </summary>
public sealed record TokenExchangeResponse(string TokenType, DateTimeOffset Expires, string ApiKey, string Name, string Scopes, IReadOnlyList<string> Packages)
{
    /// <summary>The only token type issued (and the only one a request may ask for), as nuget.org names it.</summary>
    public const string ApiKeyTokenType = "ApiKey";
}
