using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>A running feed a test talks to: in process (<see cref="FeedAppHost"/>) or on the Functions host (<see cref="FunctionsHost"/>).</summary>
public interface IFeedUnderTest
{
    string BaseUrl { get; }

    string PushUrl { get; }

    string ApiKey { get; }

    HttpClient Client { get; }

    /// <summary>The feed's storage, read and written with the app's own clients.</summary>
    FeedStorage Storage { get; }
}
