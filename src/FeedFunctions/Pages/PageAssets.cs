using System.Collections.Frozen;
using System.Security.Cryptography;

namespace FeedFunctions.Pages;

/// <summary>
/// The pages' stylesheet, script and placeholder icon, embedded in the assembly (the function app has no static
/// file hosting). Their URLs carry a hash of all of them, so browsers may cache them for a year and still get a new
/// release's at once.
/// </summary>
public static class PageAssets
{
    private static readonly FrozenDictionary<string, (byte[] Content, string ContentType)> Files = new Dictionary<string, (byte[], string)>
    {
        ["site.css"] = (Load("site.css"), "text/css; charset=utf-8"),
        ["site.js"] = (Load("site.js"), "text/javascript; charset=utf-8"),
        ["package.svg"] = (Load("package.svg"), "image/svg+xml"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Version { get; } =
        Convert.ToHexStringLower(SHA256.HashData(Files.OrderBy(f => f.Key).SelectMany(f => f.Value.Content).ToArray()))[..12];

    public static IResult Serve(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Publishing.NuGetResult.NotFound($"'{name}' is not an asset of the feed's pages.");
        }

        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy;
        return TypedResults.Bytes(file.Content, file.ContentType);
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream("assets/" + name)
            ?? throw new InvalidOperationException($"The embedded asset '{name}' is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
