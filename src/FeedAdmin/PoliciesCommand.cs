using System.CommandLine;
using FeedFunctions.TrustedPublishing;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin policies add|list|remove</c>: the trust policies that let CI pipelines publish with their OIDC token
/// (trusted publishing), in the feed's table, with the app's own store and validation.
/// </summary>
public static class PoliciesCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output)
    {
        var name = new Option<string>("--name") { Description = "The policy's name (letters, digits, '.', '-', '_'); shown in logs, events and key names.", Required = true };
        var issuer = new Option<string>("--issuer") { Description = "The token issuer, exactly as its 'iss' claim, e.g. https://token.actions.githubusercontent.com.", Required = true };
        var audience = new Option<string>("--audience") { Description = "The audience ('aud') the token must carry, e.g. the feed's URL.", Required = true };
        var claims = new Option<string[]>("--claim")
        {
            Description = "A required claim as name=value, '*' matching any characters, e.g. repository=contoso/lib or ref=refs/tags/v* (repeatable).",
            AllowMultipleArgumentsPerToken = true,
            Required = true,
        };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated: push, pushversion, unlist.", DefaultValueFactory = _ => "push" };
        var globs = new Option<string[]>("--glob") { Description = "Package id glob the policy is limited to, e.g. Contoso.* (repeatable).", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until the policy expires (default: never)." };
        var oneTime = new Option<bool>("--one-time-use") { Description = "Accept each token (by its jti) once: for the exchange flow, or a single push." };
        var user = new Option<string?>("--user")
        {
            Description = "The user name a token exchange may give (the NuGet/login action's 'user'); an exchange naming another user is refused. Default: not checked.",
        };
        var pinIds = new Option<bool>("--pin-ids")
        {
            Description = "When the policy names a GitHub repository or owner by name: record repository_id and repository_owner_id from the first accepted token " +
                          "and require them from then on, so a re-created repository of the same name cannot publish (default: true).",
            DefaultValueFactory = _ => true,
        };
        var add = new Command("add", "Add a trust policy.") { name, issuer, audience, claims, scopes, globs, days, oneTime, user, pinIds };
        add.SetAction((result, ct) => RunAsync(output, async () =>
        {
            var policy = new TrustPolicy(
                result.GetRequiredValue(name), result.GetRequiredValue(issuer), result.GetRequiredValue(audience), ParseClaims(result.GetValue(claims) ?? []),
                KeysCommand.ParseScopes(result.GetRequiredValue(scopes)), result.GetValue(globs) ?? [], DateTimeOffset.UtcNow,
                result.GetValue(days) is { } d and > 0 ? DateTimeOffset.UtcNow.AddDays(d) : null, result.GetValue(oneTime), result.GetValue(user),
                result.GetValue(pinIds));
            await (await OpenStoreAsync(configuration, ct)).AddAsync(policy, ct);
            await output.WriteLineAsync($"Added trust policy '{policy.Name}': {Describe(policy)}");
            return 0;
        }));

        var list = new Command("list", "List the trust policies.");
        list.SetAction((_, ct) => RunAsync(output, async () =>
        {
            foreach (var policy in await (await OpenStoreAsync(configuration, ct)).ListAsync(ct))
            {
                await output.WriteLineAsync($"{policy.Name,-24} {Describe(policy)}");
            }

            return 0;
        }));

        var target = new Argument<string>("name") { Description = "The policy's name." };
        var remove = new Command("remove", "Remove a trust policy (tokens stop being accepted within 30 s; keys already exchanged run out on their own).") { target };
        remove.SetAction((result, ct) => RunAsync(output, async () =>
        {
            var removed = await (await OpenStoreAsync(configuration, ct)).RemoveAsync(result.GetRequiredValue(target), ct);
            await output.WriteLineAsync(removed ? $"Removed trust policy '{result.GetRequiredValue(target)}'." : $"No trust policy is named '{result.GetRequiredValue(target)}'.");
            return removed ? 0 : 1;
        }));

        return new Command("policies", "Manage trust policies: which CI identities (OIDC tokens) may publish.") { add, list, remove };
    }

    internal static Dictionary<string, string> ParseClaims(IEnumerable<string> pairs)
    {
        var claims = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !claims.TryAdd(pair[..equals].Trim(), pair[(equals + 1)..].Trim()))
            {
                throw new ArgumentException($"'{pair}' is not name=value, or names a claim twice.");
            }
        }

        return claims;
    }

    private static string Describe(TrustPolicy p) =>
        $"issuer {p.Issuer}, audience {p.Audience}, claims {string.Join(" ", p.RequiredClaims.Select(c => $"{c.Key}={c.Value}"))}, scopes {p.Scopes}, " +
        $"packages {(p.PackageGlobs.Count == 0 ? "*" : string.Join(",", p.PackageGlobs))}, expires {p.ExpiresAt?.ToString("u") ?? "never"}" +
        (p.OneTimeUse ? ", one-time use" : string.Empty) + (p.User is { } u ? $", user {u}" : string.Empty) + DescribePins(p);

    private static string DescribePins(TrustPolicy p)
    {
        if (p.Pinned is { } pinned)
        {
            var ids = new[] { (GitHubIdPinning.RepositoryIdClaim, pinned.RepositoryId), (GitHubIdPinning.RepositoryOwnerIdClaim, pinned.RepositoryOwnerId) }
                .Where(i => i.Item2 is not null).Select(i => $"{i.Item1}={i.Item2}");
            return $", pinned {string.Join(" ", ids)} (since {pinned.PinnedAt:u})";
        }

        return GitHubIdPinning.Applies(p) ? ", ids pinned by the first accepted token (none yet)"
            : p.PinIds ? string.Empty : ", ids not pinned";
    }

    /// <summary>A policy the store refuses is a usage error: the reason and exit code 1, not a stack trace.</summary>
    private static async Task<int> RunAsync(TextWriter output, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ArgumentException ex)
        {
            await output.WriteLineAsync("error: " + ex.Message.Split(" (Parameter", 2)[0]);
            return 1;
        }
    }

    private static async Task<TrustPolicyStore> OpenStoreAsync(IConfiguration configuration, CancellationToken ct) =>
        new((await AdminStorage.OpenAsync(configuration, ct)).Storage, TimeProvider.System);
}
