namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// A test that drives headless Chromium against the Functions host: reported as skipped, with the reason, where
/// Chromium or <c>func</c> is missing. <c>.ci/run</c> fails when any test was skipped, so CI cannot pass without them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = HeadlessChromium.SkipReason ?? FunctionsHost.SkipReason;
    }
}
