namespace FeedFunctions.Publishing;

/// <summary>An uploaded package on local disk (deleted on dispose) with the hashes computed while it streamed in.</summary>
public sealed class SpooledPackage(FileStream file, long length, byte[] sha512, byte[] md5) : IAsyncDisposable
{
    public FileStream File { get; } = file;

    public long Length { get; } = length;

    public byte[] Sha512 { get; } = sha512;

    /// <summary>NuGet's packageHash format (SHA512, base64).</summary>
    public string Sha512Base64 => Convert.ToBase64String(Sha512);

    public string Sha512Hex => Convert.ToHexStringLower(Sha512);

    public byte[] Md5 { get; } = md5;

    /// <summary>A fresh read from the start of the file (the caller must not dispose it; disposing this does).</summary>
    public Stream OpenRead()
    {
        File.Position = 0;
        return File;
    }

    public ValueTask DisposeAsync() => File.DisposeAsync();
}
