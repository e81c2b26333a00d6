namespace FeedFunctions.Symbols;

/// <summary>
/// What a portable PDB is indexed by: its id (the 20 bytes of the #Pdb stream: a GUID and a stamp) and its
/// checksum, SHA-256 over the file with those 20 bytes zeroed, which is what a DLL's PdbChecksum debug directory
/// entry holds (Portable PDB spec, "PDB Checksum") and what a symbol client sends as <c>SymbolChecksum</c>.
/// </summary>
/// <param name="Checksum">Lowercase hex.</param>
public sealed record PdbIdentity(Guid Guid, uint Stamp, string Checksum)
{
    /// <summary>
    /// The SSQP key of a portable PDB: the GUID in N form followed by FFFFFFFF (the "age" of a Windows PDB, which a
    /// portable PDB has not), lowercase as SSQP requests are matched case-insensitively.
    /// </summary>
    public string Key => SymbolKey.ForPortablePdb(Guid);
}
