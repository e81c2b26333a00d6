using System.Buffers.Binary;

namespace FeedFunctions.Packages;

/// <summary>
/// Reads the zip End Of Central Directory record before <see cref="System.IO.Compression.ZipArchive"/> does, so
/// that an archive announcing millions of entries, or a directory outside the file, is refused before the
/// framework allocates an entry object per declared record.
/// </summary>
internal static class ZipCentralDirectoryCheck
{
    private const uint EocdSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EocdSignature = 0x06064b50;
    private const int EocdSize = 22;
    private const int MaxCommentLength = ushort.MaxValue;
    private const int Zip64LocatorSize = 20;
    private const int Zip64EocdSize = 56;

    /// <summary>Smallest possible central directory file header (no name, extra field or comment).</summary>
    private const int MinCentralHeaderSize = 46;

    public static async Task ValidateAsync(Stream stream, int maxEntries, CancellationToken cancellationToken)
    {
        var length = stream.Length;
        if (length < EocdSize)
        {
            throw NotAZip();
        }

        var tail = new byte[(int)Math.Min(length, EocdSize + MaxCommentLength)];
        var tailStart = length - tail.Length;
        await ReadAtAsync(stream, tailStart, tail, cancellationToken).ConfigureAwait(false);

        var at = FindEocd(tail);
        if (at < 0)
        {
            throw NotAZip();
        }

        var eocd = tail.AsSpan(at, EocdSize);
        var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(eocd[20..]);
        if (at + EocdSize + commentLength > tail.Length)
        {
            throw NotAZip("its directory record is truncated");
        }

        var directory = new Directory(
            Disk: BinaryPrimitives.ReadUInt16LittleEndian(eocd[4..]),
            DirectoryDisk: BinaryPrimitives.ReadUInt16LittleEndian(eocd[6..]),
            EntriesOnDisk: BinaryPrimitives.ReadUInt16LittleEndian(eocd[8..]),
            Entries: BinaryPrimitives.ReadUInt16LittleEndian(eocd[10..]),
            Size: BinaryPrimitives.ReadUInt32LittleEndian(eocd[12..]),
            Offset: BinaryPrimitives.ReadUInt32LittleEndian(eocd[16..]),
            End: tailStart + at);

        if (directory.NeedsZip64)
        {
            directory = await ReadZip64Async(stream, directory, cancellationToken).ConfigureAwait(false);
        }

        Check(directory, maxEntries);
    }

    private static void Check(Directory directory, int maxEntries)
    {
        if (directory.Disk != 0 || directory.DirectoryDisk != 0 || directory.EntriesOnDisk != directory.Entries)
        {
            throw NotAZip("multi-volume archives are not supported");
        }

        if (directory.Entries > maxEntries)
        {
            throw new InvalidPackageException($"The package contains more than {maxEntries} zip entries.");
        }

        if (directory.Entries < 0 || directory.Offset < 0 || directory.Size < 0 ||
            directory.Offset > directory.End || directory.Size > directory.End - directory.Offset)
        {
            throw NotAZip("its central directory lies outside the file");
        }

        // Each entry needs at least a fixed-size header; this catches a count that does not fit in the directory
        // without parsing any entry.
        if (directory.Size < directory.Entries * MinCentralHeaderSize)
        {
            throw NotAZip("its central directory is too small for its entry count");
        }
    }

    private static async Task<Directory> ReadZip64Async(Stream stream, Directory directory, CancellationToken cancellationToken)
    {
        if (directory.End < Zip64LocatorSize)
        {
            return directory;
        }

        var locator = new byte[Zip64LocatorSize];
        await ReadAtAsync(stream, directory.End - Zip64LocatorSize, locator, cancellationToken).ConfigureAwait(false);

        // 0xFFFF can be a genuine value in a plain archive; like ZipArchive, only a locator makes it Zip64.
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64LocatorSignature)
        {
            return directory;
        }

        var zip64Offset = BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
        var zip64End = directory.End - Zip64LocatorSize;
        if (zip64End < Zip64EocdSize || zip64Offset > (ulong)(zip64End - Zip64EocdSize))
        {
            throw NotAZip("its Zip64 directory record lies outside the file");
        }

        var record = new byte[Zip64EocdSize];
        await ReadAtAsync(stream, (long)zip64Offset, record, cancellationToken).ConfigureAwait(false);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EocdSignature)
        {
            throw NotAZip("its Zip64 directory record is missing");
        }

        return new Directory(
            Disk: BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(16)),
            DirectoryDisk: BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(20)),
            EntriesOnDisk: ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(24))),
            Entries: ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32))),
            Size: ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40))),
            Offset: ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48))),
            End: (long)zip64Offset);
    }

    // Values above long.MaxValue cannot be real; mapping them to -1 lets Check reject them.
    private static long ToLong(ulong value) => value > long.MaxValue ? -1 : (long)value;

    /// <summary>Searches backwards, as the comment after the record may itself contain the signature bytes.</summary>
    private static int FindEocd(ReadOnlySpan<byte> tail)
    {
        for (var i = tail.Length - EocdSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[i..]) == EocdSignature)
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task ReadAtAsync(Stream stream, long position, byte[] buffer, CancellationToken cancellationToken)
    {
        stream.Position = position;
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private static InvalidPackageException NotAZip(string? reason = null) =>
        new(reason is null
            ? "The package is not a valid zip archive."
            : $"The package is not a valid zip archive: {reason}.");

    private readonly record struct Directory(
        long Disk, long DirectoryDisk, long EntriesOnDisk, long Entries, long Size, long Offset, long End)
    {
        public bool NeedsZip64 =>
            Disk == ushort.MaxValue || DirectoryDisk == ushort.MaxValue ||
            EntriesOnDisk == ushort.MaxValue || Entries == ushort.MaxValue ||
            Size == uint.MaxValue || Offset == uint.MaxValue;
    }
}
