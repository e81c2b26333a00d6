using System.Net.Sockets;
using System.Text;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Sends a request byte for byte over a socket, for what HttpClient will not send: unnormalized paths, lying
/// Content-Length, broken chunked framing, non-ASCII header bytes. Reads only the status line and headers.
/// </summary>
public static class RawHttp
{
    public sealed record RawResponse(int Status, string Reason, string Head);

    public static Task<RawResponse> SendAsync(string baseUrl, string head, byte[]? body = null) =>
        SendAsync(baseUrl, Encoding.Latin1.GetBytes(head), body);

    /// <param name="head">Request line and headers, each ending in CRLF, plus the blank line.</param>
    public static async Task<RawResponse> SendAsync(string baseUrl, byte[] head, byte[]? body = null)
    {
        var uri = new Uri(baseUrl);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(head, timeout.Token);
            if (body is not null)
            {
                await stream.WriteAsync(body, timeout.Token);
            }
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything (e.g. 431, 413): read what it sent.
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException) when (received.Length > 0)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.Write(buffer, 0, read);
            var text = Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                break;
            }
        }

        var response = Encoding.Latin1.GetString(received.ToArray());
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headText = end < 0 ? response : response[..end];
        var statusLine = headText.Split("\r\n")[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], out var status))
        {
            throw new InvalidDataException($"No HTTP status line in the response: '{headText}'");
        }

        return new RawResponse(status, statusLine.Length > 2 ? statusLine[2] : string.Empty, headText);
    }
}
