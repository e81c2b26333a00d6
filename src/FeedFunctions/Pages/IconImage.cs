using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>
/// The package's embedded icon from the feed's flat container, or the feed's placeholder. An external iconUrl is
/// never loaded: it would be a third-party request from every visitor's browser, and the CSP allows none.
/// </summary>
public static class IconImage
{
    public static Html Img(PageUrls urls, PackageRecord record, string cssClass) =>
        string.IsNullOrEmpty(record.IconBlobName)
            ? Html.Of($"""<img class="{cssClass}" src="{urls.Asset("package.svg")}" alt="">""")
            : Html.Of($"""<img class="{cssClass}" src="{urls.Icon(record.LowerId, record.LowerVersion)}" alt="{record.Id} icon" loading="lazy">""");
}
