namespace FeedFunctions.Packages;

/// <summary>A nuspec <c>&lt;packageType&gt;</c>, e.g. Dependency, DotnetTool, Template.</summary>
public sealed record PackageTypeInfo(string Name, string? Version);
