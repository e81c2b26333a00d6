using System.Text.Json.Serialization;

namespace FeedFunctions.TrustedPublishing;

/// <summary>
/// Who published through a trust policy, as events and the audit log record it: the policy, the issuer, the token's
/// subject and the claims that identify the run (<see cref="RecordedClaims"/>). Never the token.
/// </summary>
public sealed record TrustedPublisher(
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("subject")] string? Subject,
    [property: JsonPropertyName("claims")] IReadOnlyDictionary<string, string> Claims)
{
    /// <summary>
    /// Recorded when the token has them: GitHub Actions' run identity, Azure Pipelines' (organization, project,
    /// pipeline definition, repository, ref, run) and Entra ID's object/app ids. Values are signed by the issuer but may
    /// be long; each is cut to <see cref="MaxValueLength"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> RecordedClaims =
    [
        "repository", "repository_id", "repository_owner", "repository_owner_id", "ref", "sha", "workflow_ref", "job_workflow_ref", "environment",
        "event_name", "run_id", "run_attempt", "actor", "org_id", "prj_id", "def_id", "rpo_uri", "rpo_ref", "rpo_ver",
        "oid", "tid", "appid", "azp",
    ];

    public const int MaxValueLength = 200;

    /// <summary>What names a run in a key name: GitHub's run id and attempt, else the repository, else the subject.</summary>
    [JsonIgnore]
    public string RunLabel =>
        Claims.TryGetValue("run_id", out var run)
            ? Claims.TryGetValue("run_attempt", out var attempt) ? $"{run}.{attempt}" : run
            : Claims.TryGetValue("repository", out var repository) ? repository : Subject ?? "run";

    /// <summary>The name logs, events and keys show: <c>trusted:{policy}:{run}</c>.</summary>
    [JsonIgnore]
    public string DisplayName => $"trusted:{Policy}:{RunLabel}";
}
