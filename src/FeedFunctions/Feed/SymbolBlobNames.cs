namespace FeedFunctions.Feed;

/// <summary>
/// One fixed symbols blob per version, beside the version's upload folders (whose names are hash-random, so
/// "symbols" never collides). Fixed, not per upload, because a re-push replaces the symbols (nuget.org allows it).
/// </summary>
public static class SymbolBlobNames
{
    public static string SymbolPackage(string lowerId, string lowerVersion) =>
        $"{lowerId}/{lowerVersion}/symbols/{lowerId}.{lowerVersion}.snupkg";
}
