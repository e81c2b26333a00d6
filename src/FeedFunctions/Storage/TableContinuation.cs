namespace FeedFunctions.Storage;

/// <summary>
/// Packs the service's two continuation headers into one opaque string. Each half is percent-encoded so that the
/// separating space cannot occur inside either one.
/// </summary>
internal static class TableContinuation
{
    public static string? Format(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey)
            ? null
            : Uri.EscapeDataString(nextPartitionKey) + (string.IsNullOrEmpty(nextRowKey) ? string.Empty : " " + Uri.EscapeDataString(nextRowKey));

    public static (string NextPartitionKey, string? NextRowKey) Parse(string token)
    {
        var parts = token.Split(' ');
        if (parts.Length > 2 || parts[0].Length == 0 || (parts.Length == 2 && parts[1].Length == 0))
        {
            throw new ArgumentException("Not a continuation token from this client.", nameof(token));
        }

        return (Uri.UnescapeDataString(parts[0]), parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null);
    }
}
