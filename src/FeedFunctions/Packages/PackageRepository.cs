namespace FeedFunctions.Packages;

/// <summary>The nuspec <c>&lt;repository&gt;</c> element; every attribute is optional.</summary>
public sealed record PackageRepository(string? Type, string? Url, string? Branch, string? Commit);
