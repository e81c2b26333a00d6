using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;

namespace FeedBench.Soak;

/// <summary>A .snupkg holding one real (empty) portable PDB with an id of its own, as <c>dotnet pack</c> would push.</summary>
internal static class SymbolPackages
{
    public static byte[] Build(string id, string version)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, id + ".nuspec", Encoding.UTF8.GetBytes($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id>
                    <version>{version}</version>
                    <authors>FeedBench</authors>
                    <description>Benchmark symbols.</description>
                    <packageTypes><packageType name="SymbolsPackage" /></packageTypes>
                  </metadata>
                </package>
                """));
            Write(zip, $"lib/net10.0/{id}.pdb", Pdb());
        }

        return output.ToArray();
    }

    private static byte[] Pdb()
    {
        var id = Guid.NewGuid();
        var builder = new PortablePdbBuilder(
            new MetadataBuilder(),
            ImmutableArray.Create(new int[MetadataTokens.TableCount]),
            default,
            _ => new BlobContentId(id, 0x12345678));
        var blob = new BlobBuilder();
        builder.Serialize(blob);
        return blob.ToArray();
    }

    private static void Write(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }
}
