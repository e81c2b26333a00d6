namespace FeedFunctions.Auth;

/// <summary>Who is calling, once a key checked out. <see cref="Name"/> is safe to log and to put in events.</summary>
public sealed record ApiKeyIdentity(string Name, ApiKeyScopes Scopes, IReadOnlyList<string> PackageGlobs)
{
    public bool Allows(ApiKeyScopes scope, string packageId) =>
        (Scopes & scope) != 0 && PackageIdGlob.MatchesAny(PackageGlobs, packageId);
}
