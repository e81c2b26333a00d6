using System.Globalization;
using FeedFunctions.Auth;

namespace FeedFunctions.Retention;

/// <summary>
/// <c>Feed:Retention:*</c> (environment <c>Feed__Retention__*</c>). Off by default: no rule is set. Read and checked
/// by <see cref="Read"/> at start-up (and by the admin CLI's preview), so a misconfiguration stops the app with its
/// reason instead of removing the wrong versions.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Feed:Retention";

    /// <summary>Keep the newest N prerelease versions of each id (by version number); 0 = no limit.</summary>
    public int MaxPrereleaseVersionsPerId { get; init; }

    /// <summary>Keep the newest N stable versions within each major version; 0 = no limit.</summary>
    public int MaxStableVersionsPerMajor { get; init; }

    /// <summary>A prerelease older than this goes once a stable version with a higher version number exists; null = never.</summary>
    public TimeSpan? PrereleaseMaxAge { get; init; }

    public RetentionAction Action { get; init; } = RetentionAction.Delete;

    /// <summary>Package-id globs (<c>Contoso.*</c>) retention never touches.</summary>
    public IReadOnlyList<string> Exempt { get; init; } = [];

    /// <summary>
    /// Versions pushed less than this long ago are never removed (a CI run may still be restoring them). One minute;
    /// lower only in tests.
    /// </summary>
    public TimeSpan MinimumAge { get; init; } = DefaultMinimumAge;

    public static readonly TimeSpan DefaultMinimumAge = TimeSpan.FromMinutes(1);

    public bool Enabled => MaxPrereleaseVersionsPerId > 0 || MaxStableVersionsPerMajor > 0 || PrereleaseMaxAge is not null;

    public bool IsExempt(string packageId) => Exempt.Any(glob => PackageIdGlob.Matches(glob, packageId));

    /// <summary>Reads the section; throws <see cref="InvalidOperationException"/> naming the setting and the reason.</summary>
    public static RetentionOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var exempt = SplitGlobs(section["Exempt"]).Concat(section.GetSection("Exempt").GetChildren().SelectMany(c => SplitGlobs(c.Value))).ToList();
        if (exempt.FirstOrDefault(glob => !PackageIdGlob.IsValid(glob)) is { } badGlob)
        {
            throw Invalid("Exempt", $"'{badGlob}' is not a package-id glob (letters, digits, '.', '-', '_' and '*', at most 128 characters)");
        }

        var options = new RetentionOptions
        {
            MaxPrereleaseVersionsPerId = ReadCount(section, nameof(MaxPrereleaseVersionsPerId)),
            MaxStableVersionsPerMajor = ReadCount(section, nameof(MaxStableVersionsPerMajor)),
            PrereleaseMaxAge = ReadDuration(section, nameof(PrereleaseMaxAge), allowZero: false),
            Action = ReadAction(section),
            Exempt = exempt,
            MinimumAge = ReadDuration(section, nameof(MinimumAge), allowZero: true) ?? DefaultMinimumAge,
        };
        return options;
    }

    private static IEnumerable<string> SplitGlobs(string? value) =>
        (value ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static int ReadCount(IConfigurationSection section, string name)
    {
        var value = section[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return 0;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < 0)
        {
            throw Invalid(name, $"'{value}' is not a whole number of versions (0 or more; 0 = no limit)");
        }

        return count;
    }

    private static TimeSpan? ReadDuration(IConfigurationSection section, string name, bool allowZero)
    {
        var value = section[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var duration) || duration < TimeSpan.Zero || (!allowZero && duration == TimeSpan.Zero))
        {
            throw Invalid(name, $"'{value}' is not a {(allowZero ? "non-negative" : "positive")} duration as d.hh:mm:ss (e.g. 30.00:00:00 for 30 days; empty = none)");
        }

        return duration;
    }

    private static RetentionAction ReadAction(IConfigurationSection section)
    {
        var value = section[nameof(Action)];
        if (string.IsNullOrWhiteSpace(value))
        {
            return RetentionAction.Delete;
        }

        // Names only: Enum.TryParse would also take "7".
        foreach (var action in Enum.GetValues<RetentionAction>())
        {
            if (string.Equals(action.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return action;
            }
        }

        throw Invalid(nameof(Action), $"'{value}' is not Delete or Unlist");
    }

    private static InvalidOperationException Invalid(string name, string reason) =>
        new($"{SectionName}:{name} (Feed__Retention__{name}) is invalid: {reason}.");
}
