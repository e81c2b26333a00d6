namespace FeedFunctions.Tests.OnHost;

/// <summary>The tests that drive the feed through the real Functions host; they share one <see cref="SharedHost"/>.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<SharedHost>
{
    public const string Name = "On the Functions host";
}
