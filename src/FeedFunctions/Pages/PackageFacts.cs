using System.Globalization;
using System.Text.Json.Nodes;
using FeedFunctions.Packages;

namespace FeedFunctions.Pages;

/// <summary>The side panel of a package page: download, dates, size, hash, licence, links, types, symbols.</summary>
public static class PackageFacts
{
    public static Html Render(PageUrls urls, PackageRecord record, JsonObject catalog, IReadOnlyList<string> packageTypes, bool hasSymbols)
    {
        var tags = (catalog["tags"] as JsonArray)?.Select(t => t?.GetValue<string>()).OfType<string>().ToList() ?? [];
        return Html.Of($"""
            <p><a class="button" href="{urls.Download(record.LowerId, record.LowerVersion)}" download>Download package</a></p>
            <dl>
            <dt>Published</dt><dd>{Date(record.Published)}</dd>
            <dt>Size</dt><dd>{Size(record.Size)}</dd>
            <dt>License</dt><dd>{License(catalog)}</dd>
            {Row("Project website", Link(Text(catalog, "projectUrl")))}
            {Row("Source repository", Link(Text(catalog, "repositoryUrl")))}
            <dt>Package types</dt><dd>{string.Join(", ", packageTypes)}</dd>
            <dt>Symbols</dt><dd>{(hasSymbols ? "Symbol package (.snupkg) available" : "No symbol package")}</dd>
            {Row("Tags", tags.Count == 0 ? null : Html.Join(tags.Select(t => Html.Of($"""<a href="{urls.Search(t)}">#{t}</a> """))))}
            {Row("Copyright", Text(catalog, "copyright") is { } copyright ? Html.Of($"{copyright}") : null)}
            <dt>SHA-512</dt><dd class="hash">{record.Sha512}</dd>
            </dl>
            """);
    }

    public static Html Date(DateTimeOffset value) =>
        Html.Of($"""<time datetime="{value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}">{value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</time>""");

    public static string? Text(JsonObject catalog, string name) =>
        catalog[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static Html Row(string label, Html? value) => value is { } html ? Html.Of($"<dt>{label}</dt><dd>{html}</dd>") : Html.Empty;

    /// <summary>A package's URL becomes a link only when it is http(s); anything else is shown as text.</summary>
    private static Html? Link(string? url) => url is null
        ? null
        : SafeUrl.IsHttp(url)
            ? Html.Of($"""<a href="{url}" rel="nofollow noopener noreferrer">{url}</a>""")
            : Html.Of($"{url}");

    private static Html License(JsonObject catalog)
    {
        if (Text(catalog, "licenseExpression") is { } expression)
        {
            return Html.Of($"""<a href="https://licenses.nuget.org/{Uri.EscapeDataString(expression)}" rel="nofollow noopener noreferrer">{expression}</a>""");
        }

        if (Text(catalog, "licenseFile") is { } file)
        {
            return Html.Of($"<code>{file}</code> (a file in the package)");
        }

        return Link(Text(catalog, "licenseUrl")) ?? Html.Of($"Not stated");
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
