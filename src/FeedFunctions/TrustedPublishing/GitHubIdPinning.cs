namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Resurrection-proof policies, as nuget.org's: names can be taken again (a repository or account deleted and
/// re-created by someone else), GitHub's numeric ids cannot. A policy that names a repository exactly pins
/// <c>repository_id</c> and <c>repository_owner_id</c>; one that names only the owner (<c>repository_owner</c>, or
/// <c>repository</c> as <c>owner/pattern</c>) pins <c>repository_owner_id</c>. An id the policy requires itself is not
/// pinned. The first accepted token records the ids; later tokens must carry the same ones.
/// </summary>
public static class GitHubIdPinning
{
    public const string RepositoryIdClaim = "repository_id";

    public const string RepositoryOwnerIdClaim = "repository_owner_id";

    /// <summary>GitHub's ids are numbers of a few digits; anything longer is not one.</summary>
    public const int MaxIdLength = 64;

    public static bool PinsRepository(TrustPolicy policy) =>
        policy.PinIds && IsExact(policy, "repository") && !policy.RequiredClaims.ContainsKey(RepositoryIdClaim);

    public static bool PinsOwner(TrustPolicy policy) =>
        policy.PinIds && NamesOwner(policy) && !policy.RequiredClaims.ContainsKey(RepositoryOwnerIdClaim);

    public static bool Applies(TrustPolicy policy) => PinsRepository(policy) || PinsOwner(policy);

    /// <summary>The policy pins an id it has not recorded yet: the next accepted token records it.</summary>
    public static bool NeedsRecording(TrustPolicy policy) =>
        (PinsRepository(policy) && policy.Pinned?.RepositoryId is null) || (PinsOwner(policy) && policy.Pinned?.RepositoryOwnerId is null);

    /// <summary>The id claim whose value differs from the recorded one (a missing claim differs), or null.</summary>
    public static string? Mismatch(TrustPolicy policy, Func<string, string?> claim)
    {
        if (policy.Pinned?.RepositoryId is { } repositoryId && !string.Equals(claim(RepositoryIdClaim), repositoryId, StringComparison.Ordinal))
        {
            return RepositoryIdClaim;
        }

        return policy.Pinned?.RepositoryOwnerId is { } ownerId && !string.Equals(claim(RepositoryOwnerIdClaim), ownerId, StringComparison.Ordinal)
            ? RepositoryOwnerIdClaim
            : null;
    }

    /// <summary>The ids to record from an accepted token, or the id claim it lacks (or carries in no usable form).</summary>
    public static (PinnedIds? Ids, string? MissingClaim) FromToken(TrustPolicy policy, Func<string, string?> claim, DateTimeOffset now)
    {
        string? repositoryId = policy.Pinned?.RepositoryId;
        if (PinsRepository(policy) && repositoryId is null)
        {
            repositoryId = claim(RepositoryIdClaim);
            if (!IsUsableId(repositoryId))
            {
                return (null, RepositoryIdClaim);
            }
        }

        string? ownerId = policy.Pinned?.RepositoryOwnerId;
        if (PinsOwner(policy) && ownerId is null)
        {
            ownerId = claim(RepositoryOwnerIdClaim);
            if (!IsUsableId(ownerId))
            {
                return (null, RepositoryOwnerIdClaim);
            }
        }

        return (new PinnedIds(repositoryId, ownerId, policy.Pinned?.PinnedAt ?? now), null);
    }

    private static bool IsUsableId(string? id) => id is { Length: > 0 and <= MaxIdLength } && !id.Any(char.IsControl);

    private static bool IsExact(TrustPolicy policy, string claim) =>
        policy.RequiredClaims.TryGetValue(claim, out var pattern) && !pattern.Contains('*', StringComparison.Ordinal);

    private static bool NamesOwner(TrustPolicy policy)
    {
        if (IsExact(policy, "repository_owner"))
        {
            return true;
        }

        if (!policy.RequiredClaims.TryGetValue("repository", out var repository))
        {
            return false;
        }

        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && !repository.AsSpan(0, slash).Contains('*');
    }
}
