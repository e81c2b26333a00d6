using System.Text.Json;
using FeedFunctions.Events;
using FeedFunctions.Retention;
using Microsoft.Extensions.Configuration;
using NuGet.Versioning;

namespace FeedFunctions.Tests.Retention;

/// <summary>The rules as a pure function, the settings' validation, and the event's reason on the wire.</summary>
public sealed class RetentionPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static RetentionVersion V(string version, TimeSpan? age = null, bool listed = true)
    {
        var parsed = NuGetVersion.Parse(version);
        return new RetentionVersion("Contoso.Lib", parsed.ToNormalizedString(), parsed.ToNormalizedString().ToLowerInvariant(), parsed, listed, Now - (age ?? TimeSpan.FromHours(1)), 100, null);
    }

    private static Dictionary<string, string> Plan(IReadOnlyList<RetentionVersion> versions, RetentionOptions options, params string[] pinned) =>
        RetentionPlanner.Plan(versions, options, pinned.ToHashSet(), Now).ToDictionary(r => r.Version.Version, r => r.Rule);

    [Fact]
    public void MaxPrereleaseVersionsPerId_keeps_the_newest_n_prereleases_by_version_number()
    {
        var versions = Enumerable.Range(1, 12).Select(i => V($"2.0.0-ci.{i}")).Append(V("1.0.0")).ToList();

        var removed = Plan(versions, new RetentionOptions { MaxPrereleaseVersionsPerId = 5 });

        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"2.0.0-ci.{i}").Order(), removed.Keys.Order());
        Assert.All(removed.Values, rule => Assert.Equal(RetentionRules.MaxPrereleaseVersionsPerId, rule));
    }

    [Fact]
    public void MaxStableVersionsPerMajor_keeps_the_newest_n_within_each_major()
    {
        var versions = new[] { "1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.0.1", "3.0.0" }.Select(v => V(v)).ToList();

        var removed = Plan(versions, new RetentionOptions { MaxStableVersionsPerMajor = 1 });

        Assert.Equal(["1.0.0", "1.1.0", "2.0.0"], removed.Keys.Order());
        Assert.All(removed.Values, rule => Assert.Equal(RetentionRules.MaxStableVersionsPerMajor, rule));
    }

    [Fact]
    public void PrereleaseMaxAge_removes_old_prereleases_below_the_newest_stable_only()
    {
        var versions = new[]
        {
            V("1.0.0-beta.1", TimeSpan.FromDays(10)), V("1.0.0-beta.2", TimeSpan.FromDays(2)), V("1.0.0", TimeSpan.FromDays(9)),
            V("2.0.0-beta.1", TimeSpan.FromDays(10)), V("1.0.1-rc.1", TimeSpan.FromDays(8)),
        };

        var removed = Plan(versions, new RetentionOptions { PrereleaseMaxAge = TimeSpan.FromDays(7) });

        // 1.0.1-rc.1 and 2.0.0-beta.1 are old but no stable above them exists; 1.0.0-beta.2 is too young.
        Assert.Equal(["1.0.0-beta.1"], removed.Keys);
        Assert.Equal(RetentionRules.PrereleaseMaxAge, removed["1.0.0-beta.1"]);
    }

    [Fact]
    public void Never_removed_newest_version_newest_stable_young_versions_and_pins()
    {
        var versions = new[]
        {
            V("1.0.0"), V("1.1.0"), V("1.2.0", TimeSpan.FromSeconds(30)), V("2.0.0-beta.1"), V("2.0.0-beta.2"), V("2.0.0-beta.3", TimeSpan.FromSeconds(59)),
        };
        var tight = new RetentionOptions { MaxPrereleaseVersionsPerId = 1, MaxStableVersionsPerMajor = 1, PrereleaseMaxAge = TimeSpan.FromSeconds(1) };

        var removed = Plan(versions, tight, "1.0.0");

        // Kept: 2.0.0-beta.3 (newest, and young), 1.2.0 (newest stable, and young), 1.0.0 (pinned).
        Assert.Equal(["1.1.0", "2.0.0-beta.1", "2.0.0-beta.2"], removed.Keys.Order());
        Assert.Equal(RetentionRules.MaxStableVersionsPerMajor, removed["1.1.0"]);
    }

    [Fact]
    public void Unlist_skips_versions_already_unlisted_and_counts_them_as_versions()
    {
        var versions = new[] { V("1.0.0-ci.1", listed: false), V("1.0.0-ci.2"), V("1.0.0-ci.3"), V("1.0.0-ci.4") };

        var removed = Plan(versions, new RetentionOptions { MaxPrereleaseVersionsPerId = 2, Action = RetentionAction.Unlist });

        Assert.Equal(["1.0.0-ci.2"], removed.Keys);
    }

    [Theory]
    [InlineData("MaxPrereleaseVersionsPerId", "-1", "Feed:Retention:MaxPrereleaseVersionsPerId (Feed__Retention__MaxPrereleaseVersionsPerId) is invalid: '-1'")]
    [InlineData("MaxStableVersionsPerMajor", "five", "Feed:Retention:MaxStableVersionsPerMajor (Feed__Retention__MaxStableVersionsPerMajor) is invalid: 'five'")]
    [InlineData("PrereleaseMaxAge", "30 days", "Feed:Retention:PrereleaseMaxAge (Feed__Retention__PrereleaseMaxAge) is invalid: '30 days' is not a positive duration")]
    [InlineData("PrereleaseMaxAge", "-1.00:00:00", "is not a positive duration")]
    [InlineData("PrereleaseMaxAge", "00:00:00", "is not a positive duration")]
    [InlineData("Action", "Purge", "Feed:Retention:Action (Feed__Retention__Action) is invalid: 'Purge' is not Delete or Unlist")]
    [InlineData("Action", "1", "is not Delete or Unlist")]
    [InlineData("Exempt", "Contoso.*,bad/glob", "Feed:Retention:Exempt (Feed__Retention__Exempt) is invalid: 'bad/glob' is not a package-id glob")]
    [InlineData("MinimumAge", "-00:01:00", "is not a non-negative duration")]
    public void A_bad_setting_is_refused_with_its_name_and_reason(string name, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Feed:Retention:" + name] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => RetentionOptions.Read(configuration));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_are_off_by_default_and_read_when_set()
    {
        var none = RetentionOptions.Read(new ConfigurationBuilder().Build());
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Feed:Retention:MaxPrereleaseVersionsPerId"] = "5",
            ["Feed:Retention:MaxStableVersionsPerMajor"] = "",
            ["Feed:Retention:PrereleaseMaxAge"] = "30.00:00:00",
            ["Feed:Retention:Action"] = "unlist",
            ["Feed:Retention:Exempt"] = "Contoso.Core, Tools.*",
        }).Build();

        var set = RetentionOptions.Read(configuration);

        Assert.False(none.Enabled);
        Assert.Equal(RetentionAction.Delete, none.Action);
        Assert.Equal(TimeSpan.FromMinutes(1), none.MinimumAge);
        Assert.True(set.Enabled);
        Assert.Equal((5, 0, TimeSpan.FromDays(30), RetentionAction.Unlist), (set.MaxPrereleaseVersionsPerId, set.MaxStableVersionsPerMajor, set.PrereleaseMaxAge!.Value, set.Action));
        Assert.True(set.IsExempt("tools.format") && set.IsExempt("CONTOSO.CORE") && !set.IsExempt("Contoso.Core.Extra"));
    }

    [Fact]
    public void The_reason_is_in_the_json_only_when_set()
    {
        var plain = PackageEvent.Create(PackageEventType.Deleted, "Contoso.Lib", "1.0.0-ci.1", 1, "sha", null, Now);
        var retained = plain with { Reason = PackageEventReason.Retention(RetentionRules.MaxPrereleaseVersionsPerId) };

        using var withReason = JsonDocument.Parse(PackageEventJson.Serialize(retained));
        using var without = JsonDocument.Parse(PackageEventJson.Serialize(plain));

        Assert.Equal("""{"kind":"retention","rule":"MaxPrereleaseVersionsPerId"}""", withReason.RootElement.GetProperty("reason").GetRawText());
        Assert.False(without.RootElement.TryGetProperty("reason", out _));
        Assert.False(without.RootElement.TryGetProperty("blobs", out _));
        Assert.Equal(retained.Reason, PackageEventJson.Deserialize(PackageEventJson.Serialize(retained))!.Reason);
    }
}
