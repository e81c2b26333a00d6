using System.IO.Compression;
using System.Text;

namespace FeedBench;

/// <summary>
/// Builds valid .nupkg bytes of a requested size. The payload is random (incompressible) and stored, so the size
/// on the wire is the size asked for, and every package gets its own id/version so pushes never collide.
/// </summary>
internal sealed class BenchPackages
{
    private readonly byte[] _random;

    public BenchPackages(int maxPayloadBytes)
    {
        _random = new byte[maxPayloadBytes];
        new Random(7).NextBytes(_random);
    }

    /// <summary>The zip in a buffer that may be longer than the package (no copy for 200 MB packages).</summary>
    public ArraySegment<byte> Build(string id, string version, int totalBytes, string? payloadEntry = "content/payload.bin")
    {
        var payload = Math.Clamp(totalBytes - 600, 0, _random.Length);
        var output = new MemoryStream(payload + 64 * 1024);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, id + ".nuspec", Nuspec(id, version), CompressionLevel.Optimal);
            if (payloadEntry is not null)
            {
                Write(zip, payloadEntry, _random.AsSpan(0, payload), CompressionLevel.NoCompression);
            }
        }

        return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
    }

    private static byte[] Nuspec(string id, string version) => Encoding.UTF8.GetBytes($"""
        <?xml version="1.0" encoding="utf-8"?>
        <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
          <metadata>
            <id>{id}</id>
            <version>{version}</version>
            <authors>FeedBench</authors>
            <description>Benchmark package.</description>
          </metadata>
        </package>
        """);

    private static void Write(ZipArchive zip, string name, ReadOnlySpan<byte> content, CompressionLevel level)
    {
        using var stream = zip.CreateEntry(name, level).Open();
        stream.Write(content);
    }
}
