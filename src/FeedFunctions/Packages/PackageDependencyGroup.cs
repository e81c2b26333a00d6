namespace FeedFunctions.Packages;

/// <summary>
/// Dependencies for one target framework. <see cref="TargetFramework"/> is the short folder name (e.g.
/// <c>net8.0</c>), the original text for frameworks NuGet does not recognize, or "" for "any framework".
/// </summary>
public sealed record PackageDependencyGroup(string TargetFramework, IReadOnlyList<PackageDependency> Dependencies);
