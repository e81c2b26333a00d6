using System.Buffers.Binary;
using System.Text;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Writes zip archives byte by byte, for malformed archives <see cref="System.IO.Compression.ZipArchive"/> refuses
/// to produce: lying sizes, raw (possibly corrupt) deflate data, or a lying End Of Central Directory record.
/// </summary>
public sealed class RawZip
{
    public const ushort Stored = 0;
    public const ushort Deflate = 8;

    private readonly List<Entry> _entries = [];

    /// <summary>Overrides the entry count written in the EOCD record.</summary>
    public ushort? DeclaredEntryCount { get; init; }

    /// <summary>Overrides the central directory offset written in the EOCD record.</summary>
    public uint? DeclaredDirectoryOffset { get; init; }

    /// <summary>
    /// Adds an entry whose data is written exactly as given. <paramref name="crc"/> and
    /// <paramref name="declaredUncompressedSize"/> are whatever the test wants the archive to claim.
    /// </summary>
    public RawZip Add(string name, byte[] data, ushort method, uint crc, uint declaredUncompressedSize)
    {
        _entries.Add(new Entry(name, data, method, crc, declaredUncompressedSize));
        return this;
    }

    public RawZip AddStored(string name, byte[] content) =>
        Add(name, content, Stored, Crc32.Compute(content), (uint)content.Length);

    public byte[] ToBytes()
    {
        var output = new MemoryStream();
        var offsets = new List<uint>();
        foreach (var entry in _entries)
        {
            offsets.Add((uint)output.Position);
            WriteHeader(output, entry, central: false, localOffset: 0);
            output.Write(entry.Data);
        }

        var directoryOffset = (uint)output.Position;
        for (var i = 0; i < _entries.Count; i++)
        {
            WriteHeader(output, _entries[i], central: true, localOffset: offsets[i]);
        }

        var directorySize = (uint)output.Position - directoryOffset;
        var count = DeclaredEntryCount ?? (ushort)_entries.Count;
        var eocd = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(eocd, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(eocd.AsSpan(8), count);
        BinaryPrimitives.WriteUInt16LittleEndian(eocd.AsSpan(10), count);
        BinaryPrimitives.WriteUInt32LittleEndian(eocd.AsSpan(12), directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(eocd.AsSpan(16), DeclaredDirectoryOffset ?? directoryOffset);
        output.Write(eocd);
        return output.ToArray();
    }

    private static void WriteHeader(MemoryStream output, Entry entry, bool central, uint localOffset)
    {
        var name = Encoding.UTF8.GetBytes(entry.Name);
        var header = new byte[central ? 46 : 30];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, central ? 0x02014b50u : 0x04034b50u);
        var at = central ? 6 : 4; // central headers carry "version made by" first
        if (central)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 20);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], 20);                 // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], 1 << 11);     // UTF-8 names
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 4)..], entry.Method);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 10)..], entry.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 14)..], (uint)entry.Data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 18)..], entry.DeclaredUncompressedSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 22)..], (ushort)name.Length);
        if (central)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[42..], localOffset);
        }

        output.Write(header);
        output.Write(name);
    }

    private sealed record Entry(string Name, byte[] Data, ushort Method, uint Crc, uint DeclaredUncompressedSize);
}
