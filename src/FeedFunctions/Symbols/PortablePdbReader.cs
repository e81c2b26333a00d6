using System.Buffers;
using System.Reflection.Metadata;
using System.Security.Cryptography;
using FeedFunctions.Packages;

namespace FeedFunctions.Symbols;

/// <summary>
/// Reads a PDB's identity with System.Reflection.Metadata, refusing anything that is not a readable portable PDB
/// with a reason the pusher can act on. The checksum is computed here, once, at push: downloads compare against
/// the stored value and never read the PDB to check it.
/// </summary>
internal static class PortablePdbReader
{
    private const int IdLength = 20;
    private const int HashBufferSize = 81920;

    /// <summary>A Windows (MSF) PDB starts with this; System.Reflection.Metadata reads only portable ones.</summary>
    private static ReadOnlySpan<byte> WindowsPdbSignature => "Microsoft C/C++ MSF 7.00\r\n\u001aDS"u8;

    /// <summary>ECMA-335 metadata root signature "BSJB", which a standalone portable PDB starts with.</summary>
    private static ReadOnlySpan<byte> MetadataSignature => "BSJB"u8;

    /// <param name="pdb">The PDB's bytes: readable and seekable; left open, position undefined afterwards.</param>
    /// <param name="name">The entry's name in the .snupkg, for the reason.</param>
    /// <exception cref="InvalidPackageException">Not a readable portable PDB.</exception>
    public static async Task<PdbIdentity> ReadAsync(Stream pdb, string name, CancellationToken cancellationToken)
    {
        var start = new byte[WindowsPdbSignature.Length];
        pdb.Position = 0;
        var read = await pdb.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (start.AsSpan(0, read).SequenceEqual(WindowsPdbSignature))
        {
            throw new InvalidPackageException(
                $"{Quote(name)} is a Windows PDB; the feed serves portable PDBs only (build with <DebugType>portable</DebugType>, the SDK's default).");
        }

        if (read < MetadataSignature.Length || !start.AsSpan(0, MetadataSignature.Length).SequenceEqual(MetadataSignature))
        {
            throw NotPortable(name);
        }

        var (id, idOffset) = ReadId(pdb, name);
        var checksum = await ChecksumAsync(pdb, idOffset, cancellationToken).ConfigureAwait(false);
        return new PdbIdentity(new Guid(id.AsSpan(0, 16)), BitConverter.ToUInt32(id, 16), checksum);
    }

    private static (byte[] Id, long Offset) ReadId(Stream pdb, string name)
    {
        try
        {
            pdb.Position = 0;

            // A FileStream is memory-mapped rather than copied, so a large PDB costs no heap.
            using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb, MetadataStreamOptions.LeaveOpen, checked((int)pdb.Length));
            var reader = provider.GetMetadataReader();
            var header = reader.DebugMetadataHeader ?? throw NotPortable(name);
            if (header.Id.Length != IdLength)
            {
                throw NotPortable(name);
            }

            // Reading every document row walks the tables and heaps a debugger reads first; a file whose tables
            // point outside their heaps fails here rather than in the debugger.
            foreach (var handle in reader.Documents)
            {
                var document = reader.GetDocument(handle);
                _ = reader.GetString(document.Name);
                _ = reader.GetGuid(document.Language);
                _ = reader.GetBlobBytes(document.Hash);
            }

            return (header.Id.ToArray(), header.IdStartOffset);
        }
        catch (Exception ex) when (ex is not (InvalidPackageException or OperationCanceledException or IOException or OutOfMemoryException))
        {
            // The reader parses hostile bytes: besides BadImageFormatException, corrupt offsets and sizes surface as
            // overflow, argument and index exceptions (found by PortablePdbReaderTests' fuzzing). All mean "not readable".
            throw new InvalidPackageException($"{Quote(name)} is not a readable portable PDB: {ex.Message}", ex);
        }
    }

    /// <summary>SHA-256 over the file with the id zeroed, streamed (a PDB may be hundreds of megabytes).</summary>
    private static async Task<string> ChecksumAsync(Stream pdb, long idOffset, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(HashBufferSize);
        try
        {
            pdb.Position = 0;
            long position = 0;
            int read;
            while ((read = await pdb.ReadAsync(buffer.AsMemory(0, HashBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                // Zero the part of the id that falls in this buffer.
                var from = Math.Max(idOffset, position);
                var to = Math.Min(idOffset + IdLength, position + read);
                if (from < to)
                {
                    buffer.AsSpan((int)(from - position), (int)(to - from)).Clear();
                }

                hash.AppendData(buffer, 0, read);
                position += read;
            }

            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static InvalidPackageException NotPortable(string name) =>
        new($"{Quote(name)} is not a portable PDB; a .snupkg may hold only portable PDBs.");

    private static string Quote(string name) => ErrorText.Quote(name);
}
