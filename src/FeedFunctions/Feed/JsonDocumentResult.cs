using System.Text.Json.Nodes;

namespace FeedFunctions.Feed;

/// <summary>A V3 JSON document. Documents change on every push/unlist, so caches must revalidate quickly.</summary>
public static class JsonDocumentResult
{
    public static IResult Create(HttpContext context, JsonNode document, int maxAgeSeconds = 0)
    {
        context.Response.Headers.CacheControl = maxAgeSeconds > 0 ? $"max-age={maxAgeSeconds}" : "no-cache";
        return TypedResults.Text(document.ToJsonString(), "application/json; charset=utf-8");
    }
}
