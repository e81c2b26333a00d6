namespace FeedFunctions.Packages;

/// <summary>
/// Reads a stream to its end but never more than a limit, counting bytes as they are produced. Zip entries
/// declare their uncompressed size, but a zip bomb lies, so the count of bytes actually decompressed is what
/// bounds memory and CPU.
/// </summary>
internal static class BoundedReader
{
    private const int InitialBufferSize = 16 * 1024;

    /// <summary>
    /// Returns the whole content, or null as soon as it is known to exceed <paramref name="maxBytes"/>; at most
    /// <paramref name="maxBytes"/> + 1 bytes are ever requested from <paramref name="source"/>.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream source, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(maxBytes, Array.MaxLength);

        // One byte over the limit is enough to tell "exactly at the limit" from "too large".
        var hardLimit = (long)maxBytes + 1;
        var buffer = new byte[(int)Math.Min(InitialBufferSize, hardLimit)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total == hardLimit)
                {
                    return null;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, hardLimit));
            }

            var read = await source.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.AsSpan(0, total).ToArray();
            }

            total += read;
        }
    }
}
