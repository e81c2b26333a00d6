namespace FeedFunctions.Packages;

/// <summary>
/// Recognizes the raster image types an embedded icon may be served as, by their magic bytes. The file name and
/// any declared type are the package's word; the bytes decide, so a script or an SVG (which can carry script) is
/// never served as an image. nuget.org documents PNG and JPEG; GIF and WebP are accepted as equally inert.
/// </summary>
public static class ImageTypes
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";

    public static IReadOnlyList<string> All { get; } = [Png, Jpeg, Gif, Webp];

    /// <summary>The content type of <paramref name="bytes"/>, or null when they are none of the served types.</summary>
    public static string? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        return bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? Webp : null;
    }
}
