namespace FeedFunctions.Auth;

/// <summary>What a key may do, after nuget.org's scoped keys.</summary>
[Flags]
public enum ApiKeyScopes
{
    None = 0,

    /// <summary>Push new package ids and new versions of existing ids.</summary>
    Push = 1,

    /// <summary>Push new versions of ids that already exist on the feed, but no new ids.</summary>
    PushVersion = 2,

    /// <summary>Unlist and relist (and hard delete when the feed is configured for it).</summary>
    Unlist = 4,

    /// <summary>Read the feed when <c>Feed:RequireReadAuth</c> is on.</summary>
    Read = 8,

    /// <summary>
    /// Deprecate versions and add or remove vulnerability advisories (see docs/advisories.md). Not part of
    /// <see cref="All"/>: keys stored as "All" before it existed must not gain it, so it is granted explicitly.
    /// </summary>
    Manage = 16,

    All = Push | PushVersion | Unlist | Read,
}
