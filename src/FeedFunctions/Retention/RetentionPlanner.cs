namespace FeedFunctions.Retention;

/// <summary>
/// The rules, as a pure function of one id's versions: which would go, and by which rule. "Newest" is by version
/// number (NuGet's order, what clients call latest), so CI labels should compare as builds do (<c>-ci.123</c>: dotted
/// numeric parts compare as numbers). Never removed: the newest version, the newest stable version, versions younger
/// than <see cref="RetentionOptions.MinimumAge"/>, and pinned versions.
/// </summary>
public static class RetentionPlanner
{
    /// <param name="ageRuleOnly">Only <see cref="RetentionOptions.PrereleaseMaxAge"/> (the daily timer); otherwise every rule.</param>
    public static IReadOnlyList<RetentionRemoval> Plan(
        IReadOnlyList<RetentionVersion> versions, RetentionOptions options, IReadOnlySet<string> pinnedLowerVersions, DateTimeOffset now, bool ageRuleOnly = false)
    {
        var newestFirst = versions.OrderByDescending(v => v.Parsed).ToList();
        if (newestFirst.Count == 0)
        {
            return [];
        }

        var newestStable = newestFirst.FirstOrDefault(v => !v.IsPrerelease);
        var rules = new Dictionary<RetentionVersion, string>();
        if (!ageRuleOnly && options.MaxPrereleaseVersionsPerId > 0)
        {
            foreach (var version in newestFirst.Where(v => v.IsPrerelease).Skip(options.MaxPrereleaseVersionsPerId))
            {
                rules.TryAdd(version, RetentionRules.MaxPrereleaseVersionsPerId);
            }
        }

        if (!ageRuleOnly && options.MaxStableVersionsPerMajor > 0)
        {
            foreach (var major in newestFirst.Where(v => !v.IsPrerelease).GroupBy(v => v.Parsed.Major))
            {
                foreach (var version in major.Skip(options.MaxStableVersionsPerMajor))
                {
                    rules.TryAdd(version, RetentionRules.MaxStableVersionsPerMajor);
                }
            }
        }

        if (options.PrereleaseMaxAge is { } maxAge && newestStable is not null)
        {
            foreach (var version in newestFirst.Where(v => v.IsPrerelease && v.Parsed < newestStable.Parsed && v.Published < now - maxAge))
            {
                rules.TryAdd(version, RetentionRules.PrereleaseMaxAge);
            }
        }

        return newestFirst
            .Where(v => rules.ContainsKey(v))
            .Where(v => v != newestFirst[0] && v != newestStable)
            .Where(v => v.Published <= now - options.MinimumAge)
            .Where(v => !pinnedLowerVersions.Contains(v.LowerVersion))
            .Where(v => options.Action == RetentionAction.Delete || v.Listed)
            .Select(v => new RetentionRemoval(v, rules[v]))
            .ToList();
    }
}
