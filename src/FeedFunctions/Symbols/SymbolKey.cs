using System.Diagnostics.CodeAnalysis;

namespace FeedFunctions.Symbols;

/// <summary>
/// SSQP keys (the Simple Symbol Query Protocol of symbols.nuget.org and Microsoft.SymbolStore):
/// <c>{file}/{key}/{file}</c>, matched case-insensitively, so everything here is lowercase.
/// </summary>
public static class SymbolKey
{
    /// <summary>A file name longer than this is not indexed (and not looked up): it has to fit a table key.</summary>
    public const int MaxFileNameLength = 256;

    /// <summary>A Windows PDB key is the GUID and an age of up to 8 hex digits; portable ones are 40 long.</summary>
    private const int MinKeyLength = 32;
    private const int MaxKeyLength = 40;

    public static string ForPortablePdb(Guid id) => id.ToString("N") + "ffffffff";

    /// <summary>The index partition of one SSQP key and file; the key is hex, so the split at the first '|' is unambiguous.</summary>
    public static string Partition(string key, string file) => $"{key}|{file}";

    /// <summary>Whether a request's key and file can name an indexed PDB at all (checked before any storage request).</summary>
    public static bool TryNormalize(string file, string key, [NotNullWhen(true)] out string? lowerFile, [NotNullWhen(true)] out string? lowerKey)
    {
        lowerFile = null;
        lowerKey = null;
        if (key.Length is < MinKeyLength or > MaxKeyLength || !key.All(char.IsAsciiHexDigit) || !IsServableFileName(file))
        {
            return false;
        }

        lowerFile = file.ToLowerInvariant();
        lowerKey = key.ToLowerInvariant();
        return true;
    }

    /// <summary>
    /// A file name SSQP can serve and a table key can hold: no path separators, none of the characters table keys
    /// refuse ('#', '?', control characters), printable ASCII only (a symbol client's request URL carries it as is).
    /// </summary>
    public static bool IsServableFileName(string file) =>
        file.Length is > 0 and <= MaxFileNameLength
        && file.All(c => c is >= ' ' and <= '~' and not ('/' or '\\' or '#' or '?' or '|'));
}
