using System.Net;
using System.Text.RegularExpressions;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Pages;

/// <summary>Fetches pages and reads what a test needs out of their HTML.</summary>
internal static partial class PageHttp
{
    public static async Task<string> GetPageAsync(IFeedUnderTest host, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await host.Client.GetAsync(host.BaseUrl + path);
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {response.ReasonPhrase}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The ids of the result cards on a home page, in order.</summary>
    public static List<string> ResultIds(string html) =>
        ResultLink().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();

    [GeneratedRegex("<h2><a href=\"[^\"]*/packages/[^\"]+\">([^<]+)</a>")]
    private static partial Regex ResultLink();
}
