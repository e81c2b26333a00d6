namespace FeedFunctions.Tests.Infrastructure;

/// <summary>Unique resource names so tests can share one Azurite and still run in parallel.</summary>
internal static class StorageNames
{
    private static int _counter;

    public static string Container(string prefix = "c") => $"{prefix}-{Suffix()}".ToLowerInvariant();

    public static string Queue(string prefix = "q") => $"{prefix}-{Suffix()}".ToLowerInvariant();

    public static string Table(string prefix = "t") => $"{prefix}{Suffix().Replace("-", string.Empty)}";

    private static string Suffix() => $"{Environment.ProcessId:x}-{Interlocked.Increment(ref _counter):x}-{Guid.NewGuid():N}"[..28];
}
