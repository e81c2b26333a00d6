namespace FeedFunctions.Tests.Infrastructure;

/// <summary>The theory form of <see cref="HostFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostTheoryAttribute : TheoryAttribute
{
    public HostTheoryAttribute()
    {
        Skip = FunctionsHost.SkipReason;
    }
}
