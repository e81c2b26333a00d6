namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// A test that needs the Azure Functions host: reported as skipped, with the reason, where no <c>func</c> is found.
/// <c>.ci/run</c> fails when any test was skipped, so CI cannot pass without running them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostFactAttribute : FactAttribute
{
    public HostFactAttribute()
    {
        Skip = FunctionsHost.SkipReason;
    }
}
