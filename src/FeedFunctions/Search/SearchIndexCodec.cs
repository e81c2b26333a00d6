using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;

namespace FeedFunctions.Search;

/// <summary>
/// An index entry as a table entity: its JSON, gzipped, in binary properties of at most 64 KiB each (Table's limit
/// per property), at most <see cref="MaxChunks"/> of them (so the entity stays well within Table's 1 MiB). An entry
/// that would not fit loses its oldest versions until it does; the latest versions are separate and always kept.
/// </summary>
public static class SearchIndexCodec
{
    /// <summary>All index rows share one partition, so an instance reads the rows changed since its last look with one query.</summary>
    public const string Partition = "i";

    /// <summary>Listed versions kept per id (the newest): enough for any real package, bounded for a hostile one.</summary>
    public const int MaxVersions = 10_000;

    public const int ChunkBytes = 64 * 1024;

    public const int MaxChunks = 14;

    /// <summary>Bound on the decompressed JSON, whatever a row says.</summary>
    private const int MaxJsonBytes = 32 * 1024 * 1024;

    private const string ChunkCount = "Chunks";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TableEntity ToEntity(SearchIndexEntry entry)
    {
        var bounded = entry.Versions.Count > MaxVersions ? Trim(entry, entry.Versions.Count - MaxVersions) : entry;
        var bytes = Compress(bounded);
        while (bytes.Length > MaxChunks * ChunkBytes && bounded.Versions.Count > 0)
        {
            bounded = Trim(bounded, Math.Max(1, bounded.Versions.Count / 2));
            bytes = Compress(bounded);
        }

        if (bytes.Length > MaxChunks * ChunkBytes)
        {
            // Cannot happen with fields capped at the push limits; refusing beats writing an entity Table rejects.
            throw new InvalidOperationException($"The index entry of '{entry.LowerId}' is {bytes.Length} bytes compressed without versions.");
        }

        var entity = new TableEntity(Partition, entry.LowerId)
        {
            ["Visible"] = entry.Classes.Any(c => c >= 0),
            ["VersionCount"] = bounded.Versions.Count,
        };
        var chunks = 0;
        for (var offset = 0; offset < bytes.Length; offset += ChunkBytes, chunks++)
        {
            entity[ChunkName(chunks)] = bytes.AsSpan(offset, Math.Min(ChunkBytes, bytes.Length - offset)).ToArray();
        }

        entity[ChunkCount] = chunks;
        return entity;
    }

    /// <summary>Null for a row this code cannot read (none exist; skipped rather than failing every search).</summary>
    public static SearchIndexEntry? FromEntity(TableEntity entity)
    {
        var chunks = entity.GetInt32(ChunkCount) ?? 0;
        if (chunks is <= 0 or > MaxChunks)
        {
            return null;
        }

        using var compressed = new MemoryStream();
        for (var i = 0; i < chunks; i++)
        {
            if (entity.GetBinary(ChunkName(i)) is not { } chunk)
            {
                return null;
            }

            compressed.Write(chunk);
        }

        compressed.Position = 0;
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var json = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            for (int read; (read = gzip.Read(buffer)) > 0;)
            {
                if (json.Length + read > MaxJsonBytes)
                {
                    return null;
                }

                json.Write(buffer, 0, read);
            }

            return JsonSerializer.Deserialize<SearchIndexEntry>(json.GetBuffer().AsSpan(0, (int)json.Length), Json);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            return null;
        }
    }

    private static string ChunkName(int index) => "D" + index.ToString("D2", CultureInfo.InvariantCulture);

    private static SearchIndexEntry Trim(SearchIndexEntry entry, int drop) => new()
    {
        LowerId = entry.LowerId,
        Latest = entry.Latest,
        Classes = entry.Classes,
        Versions = entry.Versions.Skip(drop).ToList(),
        TrimmedVersions = entry.TrimmedVersions + drop,
    };

    private static byte[] Compress(SearchIndexEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, entry, Json);
        }

        return buffer.ToArray();
    }
}
