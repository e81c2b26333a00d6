namespace FeedFunctions.Tests.Infrastructure;

internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feed.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find Feed.sln above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);
}
