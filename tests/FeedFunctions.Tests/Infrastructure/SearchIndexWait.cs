using System.Text.Json.Nodes;
using FeedFunctions.Tests.Feed;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Free-text search reads the search index, which the events keep: a change shows there once its event has run and
/// the instance's copy has refreshed. In process no queue trigger runs, so the queued events are run here; on the
/// host the trigger runs them. Either way the wait ends when search shows, for each id, exactly the visible versions
/// its own rows give (autocomplete's <c>id=</c> reads the id's partition: the truth).
/// </summary>
internal static class SearchIndexWait
{
    public static async Task CaughtUpAsync(IFeedUnderTest host, params string[] ids)
    {
        if (host is FeedAppHost app)
        {
            await FeedHttp.WaitForOutboxAsync(app);
            await InProcessEvents.DrainAsync(app);
        }

        foreach (var id in ids)
        {
            await Poll.UntilAsync(() => SearchShowsTruthAsync(host, id), same => same, TimeSpan.FromSeconds(30), $"search to show the versions of '{id}'");
        }
    }

    /// <summary>Whether free-text search lists the versions the id's partition says are visible (none: no hit).</summary>
    public static async Task<bool> SearchShowsTruthAsync(IFeedUnderTest host, string id)
    {
        const string all = "prerelease=true&semVerLevel=2.0.0&take=1000";
        var truth = ReadSideHttp.Strings((await ReadSideHttp.GetJsonAsync(host, $"/v3/autocomplete?id={Uri.EscapeDataString(id)}&{all}", Key(host)))["data"]);
        var shown = await SearchedVersionsAsync(host, id, all);
        return truth.SequenceEqual(shown);
    }

    /// <summary>The versions (without build metadata) free-text search lists for the id, none when it has no hit.</summary>
    public static async Task<List<string>> SearchedVersionsAsync(IFeedUnderTest host, string id, string parameters)
    {
        var search = await ReadSideHttp.GetJsonAsync(host, $"/v3/search?q={Uri.EscapeDataString(id)}&{parameters}", Key(host));
        var hit = search["data"]!.AsArray().FirstOrDefault(d => string.Equals(d!["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
        return hit is null
            ? []
            : hit["versions"]!.AsArray().Select(v => v!["version"]!.GetValue<string>().Split('+')[0]).ToList();
    }

    /// <summary>The full-access key, so private feeds (read auth) answer too.</summary>
    private static (string, string) Key(IFeedUnderTest host) => ("X-NuGet-ApiKey", host.ApiKey);

    public static JsonNode? Hit(JsonObject search, string id) =>
        search["data"]!.AsArray().FirstOrDefault(d => string.Equals(d!["id"]!.GetValue<string>(), id, StringComparison.OrdinalIgnoreCase));
}
