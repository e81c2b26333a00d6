namespace FeedFunctions.Tests.OnHost;

/// <summary>The trusted publishing tests on the Functions host; they share one <see cref="TrustedHost"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TrustedHostCollection : ICollectionFixture<TrustedHost>
{
    public const string Name = "Trusted publishing on the Functions host";
}
