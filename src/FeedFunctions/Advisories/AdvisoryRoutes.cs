namespace FeedFunctions.Advisories;

/// <summary>The routes of this feature (documented in docs/advisories.md).</summary>
public static class AdvisoryRoutes
{
    public const string VulnerabilityIndex = "v3/vulnerabilities/index.json";

    public const string VulnerabilityPage = "v3/vulnerabilities/base.json";

    public const string VulnerabilityIndexPath = "/" + VulnerabilityIndex;

    public const string VulnerabilityPagePath = "/" + VulnerabilityPage;

    public const string Deprecation = "api/v2/package/{id}/{version}/deprecation";

    public const string Advisories = "api/v2/advisories";
}
