namespace FeedFunctions.Feed;

/// <summary>The feed's absolute URLs, all lowercase in id and version as the NuGet client builds them itself.</summary>
public sealed class FeedUrls(string baseUrl)
{
    public const string ServiceIndexPath = "/v3/index.json";
    public const string FlatContainerPath = "/v3/flatcontainer";
    public const string RegistrationPath = "/v3/registration";
    public const string SearchPath = "/v3/search";
    public const string AutocompletePath = "/v3/autocomplete";
    public const string SymbolPackagePath = "/api/v2/symbolpackage";

    /// <summary>PackagePublish/2.0.0: PUT pushes; DELETE/POST on <c>{id}/{version}</c> unlist and relist.</summary>
    public const string PackagePublishPath = "/api/v2/package";

    public string Base { get; } = baseUrl;

    public static FeedUrls For(HttpRequest request, FeedOptions options) => new(FeedBaseUrl.Resolve(request, options));

    public string ServiceIndex => Base + ServiceIndexPath;

    public string PackagePublish => Base + PackagePublishPath;

    public string SymbolPackagePublish => Base + SymbolPackagePath;

    public string FlatContainer => Base + FlatContainerPath + "/";

    public string RegistrationBase => Base + RegistrationPath + "/";

    public string Search => Base + SearchPath;

    public string Autocomplete => Base + AutocompletePath;

    public string PackageContent(string lowerId, string lowerVersion) =>
        $"{FlatContainer}{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg";

    /// <summary>ReadmeUriTemplate/6.13.0: the client fills in the lowercase id and normalized version.</summary>
    public string ReadmeTemplate => FlatContainer + "{lower_id}/{lower_version}/readme";

    /// <summary>The embedded readme as text, stored beside the package at push time.</summary>
    public string Readme(string lowerId, string lowerVersion) => $"{FlatContainer}{lowerId}/{lowerVersion}/readme";

    /// <summary>The embedded icon (nuget.org serves its icons at the same place in its flat container).</summary>
    public string Icon(string lowerId, string lowerVersion) => $"{FlatContainer}{lowerId}/{lowerVersion}/icon";

    public string RegistrationIndex(string lowerId) => $"{RegistrationBase}{lowerId}/index.json";

    public string RegistrationPage(string lowerId, string lower, string upper) =>
        $"{RegistrationBase}{lowerId}/page/{lower.ToLowerInvariant()}/{upper.ToLowerInvariant()}.json";

    public string RegistrationLeaf(string lowerId, string lowerVersion) => $"{RegistrationBase}{lowerId}/{lowerVersion}.json";
}
