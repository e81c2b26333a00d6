namespace FeedFunctions.Packages;

/// <summary>
/// Field length limits from nuget.org's nuspec reference, so packages accepted here are also publishable there.
/// Fields nuget.org does not limit get <see cref="Other"/>, because everything we keep ends up in table storage.
/// </summary>
internal static class NuspecLimits
{
    public const int Title = 256;
    public const int Description = 4000;
    public const int Summary = 4000;
    public const int ReleaseNotes = 35000;
    public const int Copyright = 4000;
    public const int Tags = 4000;
    public const int Url = 4000;
    public const int DependencyVersionRange = 256;
    public const int RepositoryType = 100;
    public const int RepositoryUrl = 4000;

    /// <summary>Our own bound for authors, owners, language, license, paths, package types and similar.</summary>
    public const int Other = 4000;
}
