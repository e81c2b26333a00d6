using System.Globalization;

namespace FeedFunctions.Storage;

/// <summary>
/// Pulls the inner HTTP responses out of a <c>$batch</c> answer. Rather than tracking nested boundaries it reads
/// every <c>HTTP/1.1</c> status line with the headers and body that follow, up to the next boundary line.
/// </summary>
internal static class TableBatchResponseReader
{
    public static IReadOnlyList<TableBatchSubResponse> Read(string body)
    {
        var lines = body.ReplaceLineEndings("\n").Split('\n');
        var responses = new List<TableBatchSubResponse>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("HTTP/", StringComparison.Ordinal))
            {
                continue;
            }

            var statusParts = lines[i].Split(' ', 3);
            if (statusParts.Length < 2 || !int.TryParse(statusParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new FormatException($"Malformed status line in the batch response: '{lines[i]}'.");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (i++; i < lines.Length && lines[i].Length > 0; i++)
            {
                var colon = lines[i].IndexOf(':');
                if (colon > 0)
                {
                    headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
                }
            }

            var content = new List<string>();
            for (i++; i < lines.Length && !lines[i].StartsWith("--", StringComparison.Ordinal); i++)
            {
                content.Add(lines[i]);
            }

            i--;
            responses.Add(new TableBatchSubResponse(
                status, statusParts.Length > 2 ? statusParts[2] : string.Empty, headers, string.Join('\n', content).Trim()));
        }

        return responses;
    }
}
