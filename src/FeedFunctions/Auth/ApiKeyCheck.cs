namespace FeedFunctions.Auth;

public enum ApiKeyCheckResult
{
    /// <summary>No key was sent: 401, so the client knows it must supply one.</summary>
    Missing,

    /// <summary>Unknown, expired or revoked: 403, as nuget.org answers.</summary>
    Invalid,

    Valid,
}
