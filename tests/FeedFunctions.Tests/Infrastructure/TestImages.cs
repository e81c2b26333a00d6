using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>Small, valid images made in memory, for package icons.</summary>
public static class TestImages
{
    /// <summary>A PNG of one colour (8-bit RGB, no filter), decodable by any browser.</summary>
    public static byte[] Png(int width = 32, int height = 32, byte red = 200, byte green = 60, byte blue = 90) =>
        Encode(width, height, (_, _) => (red, green, blue));

    /// <summary>A square logo: the colour with a white ring in the middle, for the demo feed's screenshots.</summary>
    public static byte[] Logo(int size, byte red, byte green, byte blue) =>
        Encode(size, size, (x, y) =>
        {
            var distance = Math.Sqrt(Math.Pow(x - (size / 2.0), 2) + Math.Pow(y - (size / 2.0), 2));
            return distance > size * 0.2 && distance < size * 0.32 ? ((byte)255, (byte)255, (byte)255) : (red, green, blue);
        });

    private static byte[] Encode(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3));
            for (var x = 0; x < width; x++)
            {
                (raw[row + 1 + (x * 3)], raw[row + 2 + (x * 3)], raw[row + 3 + (x * 3)]) = pixel(x, y);
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32.Compute(typed));
        png.Write(length);
    }
}
