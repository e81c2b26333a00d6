namespace FeedFunctions.TrustedPublishing;

/// <summary>The body of <c>POST /api/v2/token</c>: <c>{"token": "...", "lifetimeMinutes": 30}</c> (lifetime optional).</summary>
public sealed record TokenExchangeRequest(string? Token, int? LifetimeMinutes);
