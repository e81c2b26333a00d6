using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Security.Cryptography;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Portable PDBs made with System.Reflection.Metadata's own writer (PortablePdbBuilder): a document named after
/// <c>content</c> and, to make a large PDB, an embedded-source blob of <c>padding</c> bytes. The id is the caller's,
/// so a test can make two PDBs claim one id.
/// </summary>
public static class TestPdb
{
    private static readonly Guid Sha256Algorithm = new("8829d00f-11b8-4213-878b-770e8597ac16");
    private static readonly Guid CSharp = new("3f5162f8-07c6-11d3-9053-00c04fa302a1");
    private static readonly Guid EmbeddedSource = new("0e8a571b-6926-466e-b4ad-8ab04611f5fe");

    public static byte[] Create(Guid id, string content = "pdb", int padding = 0)
    {
        var metadata = new MetadataBuilder();
        var document = metadata.AddDocument(
            metadata.GetOrAddDocumentName($"/src/{content}.cs"),
            metadata.GetOrAddGuid(Sha256Algorithm),
            metadata.GetOrAddBlob(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content))),
            metadata.GetOrAddGuid(CSharp));
        if (padding > 0)
        {
            metadata.AddCustomDebugInformation(document, metadata.GetOrAddGuid(EmbeddedSource), metadata.GetOrAddBlob(new byte[padding]));
        }

        var builder = new PortablePdbBuilder(
            metadata, ImmutableArray.Create(new int[MetadataTokens.TableCount]), entryPoint: default, idProvider: _ => new BlobContentId(id, 0x80000001));
        var blob = new BlobBuilder();
        builder.Serialize(blob);
        return blob.ToArray();
    }

    /// <summary>The SSQP key of a portable PDB, read from the PDB itself: GUID (N) + FFFFFFFF.</summary>
    public static string Key(byte[] pdb) => Identity(pdb).Key;

    /// <summary>The Portable PDB spec's checksum: SHA-256 of the file with the 20-byte id zeroed.</summary>
    public static string Checksum(byte[] pdb) => Identity(pdb).Checksum;

    private static (string Key, string Checksum) Identity(byte[] pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbImage(pdb.ToImmutableArray());
        var header = provider.GetMetadataReader().DebugMetadataHeader!;
        var guid = new Guid(header.Id.AsSpan()[..16]);
        var zeroed = pdb.ToArray();
        Array.Clear(zeroed, header.IdStartOffset, 20);
        return (guid.ToString("N") + "ffffffff", "SHA256:" + Convert.ToHexString(SHA256.HashData(zeroed)));
    }
}
