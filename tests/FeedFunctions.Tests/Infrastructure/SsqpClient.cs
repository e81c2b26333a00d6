using System.Reflection.PortableExecutable;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// A symbol client written from the specifications, as dotnet-symbol and SOS work: the SSQP key and file come from
/// the DLL's CodeView debug directory entry (a portable PDB's entry has minor version 0x504D, "PM", and its key is the
/// GUID followed by FFFFFFFF; a Windows PDB's is the GUID and the age), the <c>SymbolChecksum</c> header from its
/// PdbChecksum entries (<c>{algorithm}:{hex}</c>, ';'-separated).
/// </summary>
public sealed record SsqpClient(string File, string Key, string? Checksums)
{
    private const ushort PortableCodeViewVersion = 0x504D;

    public string Path => $"/download/symbols/{File}/{Key}/{File}";

    public static SsqpClient FromDll(byte[] dll)
    {
        using var pe = new PEReader(new MemoryStream(dll));
        var entries = pe.ReadDebugDirectory();
        var codeView = entries.Single(e => e.Type == DebugDirectoryEntryType.CodeView);
        var data = pe.ReadCodeViewDebugDirectoryData(codeView);
        var file = data.Path.Replace('\\', '/').Split('/')[^1].ToLowerInvariant();
        var key = data.Guid.ToString("N") + (codeView.MinorVersion == PortableCodeViewVersion ? "ffffffff" : data.Age.ToString("x"));
        var checksums = entries.Where(e => e.Type == DebugDirectoryEntryType.PdbChecksum)
            .Select(e => pe.ReadPdbChecksumDebugDirectoryData(e))
            .Select(c => $"{c.AlgorithmName}:{Convert.ToHexString(c.Checksum.AsSpan())}")
            .ToList();
        return new SsqpClient(file, key, checksums.Count == 0 ? null : string.Join(';', checksums));
    }

    public HttpRequestMessage Request(HttpMethod? method = null, bool sendChecksum = true, string? checksums = null, string? path = null)
    {
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, path ?? Path);
        if ((checksums ?? (sendChecksum ? Checksums : null)) is { } header)
        {
            request.Headers.TryAddWithoutValidation("SymbolChecksum", header);
        }

        return request;
    }

    public async Task<(System.Net.HttpStatusCode Status, byte[] Body)> GetAsync(HttpClient client, bool sendChecksum = true, string? checksums = null, string? path = null, string? apiKey = null)
    {
        using var request = Request(HttpMethod.Get, sendChecksum, checksums, path);
        if (apiKey is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("ci:" + apiKey)));
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }
}
