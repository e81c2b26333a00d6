using FeedFunctions.Advisories;
using FeedFunctions.Packages;
using FeedFunctions.Publishing;
using Microsoft.Extensions.Options;
using NuGet.Versioning;

namespace FeedFunctions.Feed;

/// <summary>
/// RegistrationsBaseUrl (3.6.0 hive: SemVer 2 versions included). Unlisted versions stay in the documents with
/// <c>listed: false</c>, which is what hides them from <c>dotnet add package</c> without a version.
/// </summary>
public sealed class RegistrationHandler(AdvisoryStore advisories, IOptions<FeedOptions> options)
{
    public async Task<IResult> IndexAsync(HttpContext context, string id)
    {
        var (versions, advisoryList) = await LoadAsync(id, context.RequestAborted);
        return versions.Count == 0
            ? NotFound(id)
            : JsonDocumentResult.Create(context, RegistrationDocuments.Index(Urls(context), versions[0].Record.LowerId, versions, advisoryList));
    }

    public async Task<IResult> PageAsync(HttpContext context, string id, string lower, string upper)
    {
        if (!NuGetVersion.TryParse(lower, out var lowerVersion) || !NuGetVersion.TryParse(upper, out var upperVersion))
        {
            return NotFound(id);
        }

        var (versions, advisoryList) = await LoadAsync(id, context.RequestAborted);
        var chunk = versions.Where(v => v.Version >= lowerVersion && v.Version <= upperVersion).ToList();
        return chunk.Count == 0
            ? NotFound(id)
            : JsonDocumentResult.Create(context, RegistrationDocuments.Page(Urls(context), chunk[0].Record.LowerId, chunk, withItems: true, standalone: true, advisoryList));
    }

    public async Task<IResult> LeafAsync(HttpContext context, string id, string version)
    {
        if (!PackageKey.TryParse(id, version, out var key, out _))
        {
            return NotFound(id);
        }

        var (record, advisoryList) = await advisories.LoadVersionAsync(key.LowerId, key.LowerVersion, context.RequestAborted);
        return record is null ? NotFound(id) : JsonDocumentResult.Create(context, RegistrationDocuments.Leaf(Urls(context), record, advisoryList));
    }

    /// <summary>The id's versions and its advisories, in the one partition query registration always made.</summary>
    private Task<(IReadOnlyList<VersionedRecord> Versions, IReadOnlyList<Advisory> Advisories)> LoadAsync(string id, CancellationToken cancellationToken) =>
        advisories.LoadIdAsync(id, cancellationToken);

    private FeedUrls Urls(HttpContext context) => FeedUrls.For(context.Request, options.Value);

    private static NuGetResult NotFound(string id) => NuGetResult.NotFound($"Package '{id}' was not found.");
}
