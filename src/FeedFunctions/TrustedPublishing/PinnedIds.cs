namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// The numeric ids a policy that names a GitHub repository or owner by name recorded from its first accepted token
/// (<see cref="GitHubIdPinning"/>). GitHub never reuses them: a repository deleted and re-created under the same name
/// gets new ones. Null for an id the policy does not pin.
/// </summary>
public sealed record PinnedIds(string? RepositoryId, string? RepositoryOwnerId, DateTimeOffset PinnedAt);
