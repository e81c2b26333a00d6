using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using FeedFunctions.Packages;

namespace FeedFunctions.Publishing;

/// <summary>
/// Overlaps receiving a large push with storing it: while the body streams in, each full block is staged (Put Block)
/// to the blob the package will have, instead of uploading the whole file only after it has arrived. The blob name
/// needs the id and version, so the first block is searched for the .nuspec's local zip entry (NuGet writes it at the
/// front); without it nothing is staged and the push uploads from its spooled file as before.
/// Durability is unchanged: staged blocks are invisible until the push commits them (Put Block List) after full
/// validation, and the row stays the commit point; a rejected or crashed push leaves only uncommitted blocks, which
/// storage discards. Staging is only an optimisation: any failure here falls back to the upload from the file.
/// Memory: one block being filled plus at most <see cref="MaxInFlight"/> being sent.
/// </summary>
public sealed class PackageBlockStager(BlobContainerClient container) : IAsyncDisposable
{
    public const int BlockSize = 8 * 1024 * 1024;

    private const int MaxInFlight = 4;
    private const int LocalHeaderSize = 30;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const int MaxEntriesBeforeNuspec = 8;

    private readonly byte[] _uploadId = Guid.NewGuid().ToByteArray();
    private readonly List<string> _blockIds = [];
    private readonly List<Task> _inFlight = [];
    private readonly SemaphoreSlim _slots = new(MaxInFlight);

    // Sent blocks come back here, not to the shared pool: they are returned on other threads, whose thread-local
    // pool slots the receive loop cannot see, so it would rent (allocate) a fresh 8 MiB array for every block.
    private readonly ConcurrentStack<byte[]> _spare = new();
    private byte[]? _block;
    private int _filled;
    private long _staged;
    private bool _off;
    private volatile Exception? _failure;
    private BlockBlobClient? _blob;
    private string? _lowerId;
    private string? _lowerVersion;
    private string? _folder;

    /// <summary>Takes the next bytes of the package; copies them, so the caller may reuse its buffer.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (data.Length > 0 && !_off)
        {
            _block ??= _spare.TryPop(out var spare) ? spare : ArrayPool<byte>.Shared.Rent(BlockSize);
            var count = Math.Min(BlockSize - _filled, data.Length);
            data[..count].CopyTo(_block.AsMemory(_filled));
            _filled += count;
            data = data[count..];
            if (_filled == BlockSize)
            {
                await StageCurrentBlockAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Stages the last partial block and waits for all. Null when nothing (usable) was staged: the package fit in one
    /// block, had no .nuspec up front, or a block failed. Call after the whole body has been appended.
    /// </summary>
    public async Task<StagedPackageBlob?> CompleteAsync(long expectedLength, CancellationToken cancellationToken)
    {
        if (_off || _blob is null)
        {
            // Small packages never fill a block: one Put Blob from the file is fewer requests than blocks + list.
            Stop();
            return null;
        }

        if (_filled > 0)
        {
            await StageCurrentBlockAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(_inFlight).ConfigureAwait(false);
        return _off || _failure is not null || _staged != expectedLength
            ? null
            : new StagedPackageBlob(_blob.Name, _folder!, _lowerId!, _lowerVersion!, _blockIds.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        try
        {
            // Nothing of this push may still be writing once the request is over.
            await Task.WhenAll(_inFlight).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Recorded in _failure; the push already decided without these blocks.
        }

        while (_spare.TryPop(out var block))
        {
            ArrayPool<byte>.Shared.Return(block);
        }

        _slots.Dispose();
    }

    private async ValueTask StageCurrentBlockAsync(CancellationToken cancellationToken)
    {
        if (_blob is null && !TryNameFromFirstBlock(_block.AsSpan(0, _filled)))
        {
            Stop();
            return;
        }

        if (_failure is not null)
        {
            Stop();
            return;
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var block = _block!;
        var length = _filled;
        var blockId = NewBlockId(_uploadId, _blockIds.Count);
        _blockIds.Add(blockId);
        _block = null;
        _filled = 0;
        _staged += length;
        // Off the receive loop: the block's MD5 and the send then run on another core while the body keeps coming.
        _inFlight.Add(Task.Run(() => StageAsync(blockId, block, length, cancellationToken), CancellationToken.None));
    }

    private async Task StageAsync(string blockId, byte[] block, int length, CancellationToken cancellationToken)
    {
        try
        {
            // Each block carries its MD5, computed here off the receive loop, so storage checks what it got.
            await _blob!.StageBlockAsync(
                blockId,
                new MemoryStream(block, 0, length, writable: false),
                new BlockBlobStageBlockOptions { TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 } },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure ??= ex;
        }
        finally
        {
            _spare.Push(block);
            _slots.Release();
        }
    }

    /// <summary>
    /// Block ids of one upload: a random upload id (so concurrent uploads never mix blocks) plus the index; all the
    /// same length, as the service requires within a blob.
    /// </summary>
    private static string NewBlockId(byte[] uploadId, int index)
    {
        Span<byte> raw = stackalloc byte[20];
        uploadId.CopyTo(raw);
        BitConverter.TryWriteBytes(raw[16..], index);
        return Convert.ToBase64String(raw);
    }

    private void Stop()
    {
        _off = true;
        if (_block is not null)
        {
            ArrayPool<byte>.Shared.Return(_block);
            _block = null;
            _filled = 0;
        }
    }

    /// <summary>
    /// Finds the root .nuspec among the first local entries and reads id and version from it. This only names the
    /// blob: the package is validated from its central directory afterwards, and a push whose validated id/version
    /// differ from these does not use the staged blocks.
    /// </summary>
    private bool TryNameFromFirstBlock(ReadOnlySpan<byte> head)
    {
        var offset = 0;
        for (var entry = 0; entry < MaxEntriesBeforeNuspec && offset + LocalHeaderSize <= head.Length; entry++)
        {
            var header = head[offset..];
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
            var uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var dataStart = (long)offset + LocalHeaderSize + nameLength + extraLength;
            var dataEnd = dataStart + compressed;

            // Encrypted entries, or sizes deferred to a data descriptor (bit 3): the sizes here cannot be trusted.
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature || (flags & 0x9) != 0
                || compressed == uint.MaxValue || dataEnd > head.Length)
            {
                return false;
            }

            var name = Encoding.UTF8.GetString(header.Slice(LocalHeaderSize, nameLength));
            if (ZipEntryNames.IsRootNuspec(name))
            {
                return uncompressed <= PackageReaderOptions.DefaultMaxNuspecBytes
                       && TryReadIdentity(name, head[(int)dataStart..(int)dataEnd], method, (int)uncompressed);
            }

            offset = (int)dataEnd;
        }

        return false;
    }

    private bool TryReadIdentity(string entryName, ReadOnlySpan<byte> data, ushort method, int uncompressed)
    {
        try
        {
            byte[] nuspec;
            if (method == 0)
            {
                nuspec = data.ToArray();
            }
            else if (method == 8)
            {
                nuspec = new byte[uncompressed];
                using var inflate = new DeflateStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
                inflate.ReadExactly(nuspec);
            }
            else
            {
                return false;
            }

            var metadata = NuspecIdentity.ReadKey(nuspec);
            _lowerId = metadata.LowerId;
            _lowerVersion = metadata.LowerVersion;
            _folder = PackageBlobNames.NewStreamedUploadFolder();
            _blob = container.GetBlockBlobClient(PackageBlobNames.Package(_lowerId, _lowerVersion, _folder));
            return true;
        }
        catch (Exception ex) when (ex is InvalidPackageException or InvalidDataException or EndOfStreamException or ArgumentException)
        {
            // Not usable for naming; the full validation will say what is wrong with it, if anything.
            return false;
        }
    }
}

/// <summary>The blocks a push staged while it streamed in, and the blob (id, version, folder) they belong to.</summary>
public sealed record StagedPackageBlob(string BlobName, string Folder, string LowerId, string LowerVersion, IReadOnlyList<string> BlockIds);
