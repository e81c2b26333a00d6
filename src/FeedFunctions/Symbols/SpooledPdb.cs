namespace FeedFunctions.Symbols;

/// <summary>One PDB taken out of a .snupkg into a temporary file (deleted on dispose), with the identity read from it.</summary>
/// <param name="FileName">The lowercase file name, as SSQP asks for it.</param>
public sealed record SpooledPdb(string EntryName, string FileName, PdbIdentity Identity, FileStream Content) : IAsyncDisposable
{
    public string Key => Identity.Key;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
