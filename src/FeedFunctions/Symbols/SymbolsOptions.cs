namespace FeedFunctions.Symbols;

/// <summary><c>Feed:Symbols:*</c> (environment variables <c>Feed__Symbols__*</c>): the symbol server.</summary>
public sealed class SymbolsOptions
{
    public const string SectionName = "Feed:Symbols";

    /// <summary>
    /// When true, a symbol download must carry a <c>SymbolChecksum</c> header (Microsoft.SymbolStore clients such as
    /// dotnet-symbol send it when the DLL has a PdbChecksum entry; SOS on a dump was seen to send none); without one
    /// the answer is 404, as for a checksum that matches nothing. A PDB is then unobtainable without the DLL it
    /// belongs to, on top of the read key of a private feed.
    /// </summary>
    public bool RequireChecksum { get; set; }

    /// <summary>
    /// Largest PDB a .snupkg may hold, decompressed (all its PDBs together: twice this). The biggest PDBs the .NET
    /// runtime ships are a few hundred megabytes; a PDB is spooled to a temporary file while it is checked.
    /// </summary>
    public long MaxPdbSizeBytes { get; set; } = DefaultMaxPdbSizeBytes;

    public const long DefaultMaxPdbSizeBytes = 1024L * 1024 * 1024;

    /// <summary>Null when valid; otherwise what is wrong (System.Reflection.Metadata reads PDBs of up to 2 GB).</summary>
    public string? Validate() =>
        MaxPdbSizeBytes is > 0 and <= int.MaxValue ? null : $"Feed:Symbols:MaxPdbSizeBytes must be between 1 and {int.MaxValue}.";
}
