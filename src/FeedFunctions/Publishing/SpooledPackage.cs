namespace FeedFunctions.Publishing;

/// <summary>
/// An uploaded package with its SHA-512, computed while it streamed in: held in memory when small (see
/// <see cref="PackageUploadReader.InMemoryLimit"/>), otherwise in a local file deleted on dispose.
/// </summary>
public sealed class SpooledPackage(Stream content, long length, byte[] sha512) : IAsyncDisposable
{
    public long Length { get; } = length;

    public byte[] Sha512 { get; } = sha512;

    /// <summary>NuGet's packageHash format (SHA512, base64).</summary>
    public string Sha512Base64 => Convert.ToBase64String(Sha512);

    public string Sha512Hex => Convert.ToHexStringLower(Sha512);

    /// <summary>A fresh read from the start (the caller must not dispose it; disposing this does).</summary>
    public Stream OpenRead()
    {
        content.Position = 0;
        return content;
    }

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
