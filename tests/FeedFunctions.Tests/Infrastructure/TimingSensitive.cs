namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Tests that measure time or the test process's memory run alone, after the parallel ones, so other tests' load and
/// allocations do not skew them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "Timing-sensitive";
}
