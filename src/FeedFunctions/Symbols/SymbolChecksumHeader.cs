namespace FeedFunctions.Symbols;

/// <summary>
/// The <c>SymbolChecksum</c> request header of symbols.nuget.org's protocol: <c>SHA256:&lt;hex&gt;</c>, several
/// separated by ';' (a DLL may carry several PdbChecksum entries). dotnet-symbol, SOS and Microsoft.SymbolStore send
/// it from the DLL's debug directory. Only SHA-256 is understood; other algorithms are ignored, as they can match
/// nothing this feed computes.
/// </summary>
public static class SymbolChecksumHeader
{
    public const string Name = "SymbolChecksum";

    /// <summary>A header longer than this is not parsed (16 SHA-256 checksums fit comfortably).</summary>
    public const int MaxLength = 2048;

    private const string Sha256Prefix = "SHA256:";
    private const int Sha256HexLength = 64;

    /// <summary>Null when the request carries no checksum header; otherwise the lowercase hex SHA-256 checksums it lists (maybe none).</summary>
    public static IReadOnlySet<string>? Parse(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Name, out var values))
        {
            return null;
        }

        var checksums = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (value is null || value.Length > MaxLength)
            {
                continue;
            }

            foreach (var item in value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (item.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)
                    && item.Length == Sha256Prefix.Length + Sha256HexLength
                    && item.AsSpan(Sha256Prefix.Length).ContainsAnyExcept(HexDigits) is false)
                {
                    checksums.Add(item[Sha256Prefix.Length..].ToLowerInvariant());
                }
            }
        }

        return checksums;
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
