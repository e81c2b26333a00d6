namespace FeedFunctions.Symbols;

/// <summary><c>Feed:Symbols:*</c> (environment variables <c>Feed__Symbols__*</c>): the symbol server.</summary>
public sealed class SymbolsOptions
{
    public const string SectionName = "Feed:Symbols";

    /// <summary>
    /// When true, a symbol download must carry a <c>SymbolChecksum</c> header (dotnet-symbol, SOS and recent Visual
    /// Studio send it); without one the answer is 404, as for a checksum that matches nothing. With a private feed
    /// this makes a PDB unobtainable without the DLL that names it, on top of the read key.
    /// </summary>
    public bool RequireChecksum { get; set; }
}
