namespace FeedFunctions.Symbols;

/// <summary>One indexed PDB: which package version's .snupkg it came from, its blob, checksum and size.</summary>
/// <param name="Owner">The owning package version's row key, <c>{lowerId}|{lowerVersion}</c>.</param>
public sealed record SymbolEntry(string Owner, string BlobName, string Checksum, long Length, DateTimeOffset IndexedAt);
