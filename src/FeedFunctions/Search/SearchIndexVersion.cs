using System.Text.Json.Serialization;

namespace FeedFunctions.Search;

/// <summary>One listed version in an index entry: normalized and full version, and which queries may see it.</summary>
public sealed record SearchIndexVersion(
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("f")] string FullVersion,
    [property: JsonPropertyName("c")] int Class)
{
    /// <summary>Visible to a query whose class allows everything this version needs (prerelease, SemVer 2).</summary>
    public bool IsVisibleTo(int queryClass) => (Class & ~queryClass) == 0;
}
