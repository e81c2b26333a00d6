namespace FeedFunctions.Packages;

/// <summary>
/// Each push writes its blobs under a folder of its own (hash prefix + random suffix), create-only, so concurrent
/// or repeated pushes never write the same blob and a hard delete can never remove bytes a newer row points at.
/// The row names its blobs; nothing else does.
/// </summary>
public static class PackageBlobNames
{
    public static string NewUploadFolder(string sha512Hex) => $"{sha512Hex[..16]}-{Guid.NewGuid():N}"[..32];

    /// <summary>
    /// For a push whose blocks are staged while it still streams in, before its hash is known: random only, same
    /// length, so it is just as unique.
    /// </summary>
    public static string NewStreamedUploadFolder() => Guid.NewGuid().ToString("N");

    public static string Package(string lowerId, string lowerVersion, string uploadFolder) =>
        $"{lowerId}/{lowerVersion}/{uploadFolder}/{lowerId}.{lowerVersion}.nupkg";

    /// <summary>The embedded readme, taken out at push time so that reading it never opens the .nupkg.</summary>
    public static string Readme(string lowerId, string lowerVersion, string uploadFolder) =>
        $"{lowerId}/{lowerVersion}/{uploadFolder}/readme";

    /// <summary>The embedded icon, likewise; its image type is in the row and on the blob.</summary>
    public static string Icon(string lowerId, string lowerVersion, string uploadFolder) =>
        $"{lowerId}/{lowerVersion}/{uploadFolder}/icon";

    /// <summary>
    /// One fixed symbols blob per version, beside the upload folders (whose names are hash-random, so "symbols"
    /// never collides). Fixed, not per upload, because a re-push replaces the symbols (nuget.org allows it).
    /// </summary>
    public static string SymbolPackage(string lowerId, string lowerVersion) =>
        $"{lowerId}/{lowerVersion}/symbols/{lowerId}.{lowerVersion}.snupkg";
}
