namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// FEED_SOAK=1 turns the reliability suite into a soak run: longer loops, more pushes, more fault rounds, and a
/// fuzz budget of FEED_SOAK_SECONDS (default 300). Without it every loop keeps to its CI size.
/// </summary>
public static class Soak
{
    public static bool Enabled => Environment.GetEnvironmentVariable("FEED_SOAK") is "1" or "true";

    public static TimeSpan Duration =>
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("FEED_SOAK_SECONDS"), out var s) && s > 0 ? s : 300);

    public static int Pick(int ci, int soak) => Enabled ? soak : ci;

    public static TimeSpan Pick(TimeSpan ci, TimeSpan soak) => Enabled ? soak : ci;
}
