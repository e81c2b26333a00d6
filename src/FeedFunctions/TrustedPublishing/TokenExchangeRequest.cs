namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// The body of <c>POST /api/v2/token</c>, every field optional: the NuGet/login action's
/// <c>{"username": "...", "tokenType": "ApiKey"}</c> (its token comes as the bearer token), or ours,
/// <c>{"token": "...", "lifetimeMinutes": 30}</c>.
/// </summary>
public sealed record TokenExchangeRequest(string? Token, int? LifetimeMinutes, string? Username = null, string? TokenType = null);
