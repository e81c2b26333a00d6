using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>
/// The search and autocomplete query string. Malformed paging values fall back to the defaults rather than
/// failing: the client always sends well-formed ones, and a browser user gets a result instead of an error.
/// </summary>
public sealed record SearchQuery
{
    public const int DefaultTake = 20;

    public const int MaxTake = 1000;

    private static readonly NuGetVersion SemVer2 = new(2, 0, 0);

    /// <summary>Free-text terms, matched case-insensitively against id, title, tags and description.</summary>
    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>From <c>id:Foo</c> / <c>packageid:Foo</c>: the id must equal one of these (case-insensitive).</summary>
    public IReadOnlyList<string> ExactIds { get; init; } = [];

    public int Skip { get; init; }

    public int Take { get; init; } = DefaultTake;

    public bool IncludePrerelease { get; init; }

    public bool IncludeSemVer2 { get; init; }

    public string? PackageType { get; init; }

    public static SearchQuery Parse(IQueryCollection query)
    {
        var (terms, exactIds) = ParseTerms(query["q"].ToString());
        var packageType = First(query, "packageType") ?? First(query, "packageTypeFilter");
        return new SearchQuery
        {
            Terms = terms,
            ExactIds = exactIds,
            Skip = Math.Max(0, Int(query, "skip") ?? 0),
            Take = Math.Clamp(Int(query, "take") ?? DefaultTake, 0, MaxTake),
            IncludePrerelease = bool.TryParse(First(query, "prerelease"), out var prerelease) && prerelease,
            IncludeSemVer2 = NuGetVersion.TryParse(First(query, "semVerLevel"), out var level) && level >= SemVer2,
            PackageType = packageType,
        };
    }

    private static (List<string> Terms, List<string> ExactIds) ParseTerms(string q)
    {
        var terms = new List<string>();
        var exactIds = new List<string>();
        foreach (var token in q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = token.IndexOf(':');
            var field = colon > 0 ? token[..colon] : string.Empty;
            var value = Unquote(colon > 0 ? token[(colon + 1)..] : token);
            if (value.Length == 0)
            {
                continue;
            }

            if (field.Equals("id", StringComparison.OrdinalIgnoreCase) || field.Equals("packageid", StringComparison.OrdinalIgnoreCase))
            {
                exactIds.Add(value);
            }
            else
            {
                // Other field prefixes (tags:, description:, ...) search everywhere rather than matching nothing.
                terms.Add(value);
            }
        }

        return (terms, exactIds);
    }

    private static string Unquote(string value) => value.Trim('"', '\'');

    private static string? First(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0] : null;

    private static int? Int(IQueryCollection query, string name) =>
        int.TryParse(First(query, name), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
}
