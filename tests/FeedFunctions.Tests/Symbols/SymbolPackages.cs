using System.IO.Compression;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Symbols;

/// <summary>Files out of real packages, and what the symbol index holds, for the symbol server tests.</summary>
internal static class SymbolPackages
{
    /// <summary>The single entry with this extension, out of a .nupkg or .snupkg on disk.</summary>
    public static byte[] Entry(string packagePath, string extension)
    {
        using var zip = ZipFile.OpenRead(packagePath);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(extension, StringComparison.OrdinalIgnoreCase)).Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public static async Task PushAsync(IFeedUnderTest host, string id, string version, params (string Entry, byte[] Content)[] pdbs)
    {
        using var response = await ReadSideHttp.PushSymbolsAsync(host, ReadSideHttp.SymbolPackage(id, version, pdbs).ToBytes(), host.ApiKey);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"symbols of {id} {version}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    public static async Task<List<string>> IndexRowsAsync(IFeedUnderTest host)
    {
        var rows = new List<string>();
        await foreach (var row in host.Storage.SymbolIndexTable.QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add($"{row.PartitionKey} {row.RowKey}");
        }

        return rows;
    }

    /// <summary>The PDB blobs (not the per-version lock blobs).</summary>
    public static async Task<List<string>> BlobsAsync(IFeedUnderTest host)
    {
        var names = new List<string>();
        await foreach (var blob in host.Storage.Symbols.GetBlobsAsync())
        {
            if (!blob.Name.StartsWith(FeedFunctions.Symbols.SymbolVersionLock.Prefix, StringComparison.Ordinal))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }

    /// <summary>A client for a synthetic PDB pushed under <paramref name="fileName"/>.</summary>
    public static SsqpClient ClientFor(byte[] pdb, string fileName) => new(fileName.ToLowerInvariant(), TestPdb.Key(pdb), TestPdb.Checksum(pdb));
}
