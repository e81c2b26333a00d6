namespace FeedFunctions.Storage;

/// <summary>Checks PartitionKey/RowKey values and renders them into entity URLs.</summary>
internal static class TableKeys
{
    /// <summary>The service documents 1 KiB. Azurite stops at 512 characters, so longer keys pass here and fail only there.</summary>
    public const int MaxLength = 1024;

    public static void Validate(string key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"Table keys are limited to {MaxLength} characters.", paramName);
        }

        foreach (var c in key)
        {
            // The service rejects these (Azurite answers 400 InvalidInput); failing here says which key is at fault.
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException($"Table keys may not contain '/', '\\', '#', '?' or control characters (found U+{(int)c:X4}).", paramName);
            }
        }
    }

    /// <summary><c>table(PartitionKey='..',RowKey='..')</c>, already escaped for the URL path.</summary>
    public static string EntityPath(string tableName, string partitionKey, string rowKey)
    {
        Validate(partitionKey, nameof(partitionKey));
        Validate(rowKey, nameof(rowKey));
        return $"{tableName}(PartitionKey='{EscapeLiteral(partitionKey)}',RowKey='{EscapeLiteral(rowKey)}')";
    }

    // OData doubles quotes inside the literal; the literal quotes themselves stay bare (the form verified against Azurite).
    private static string EscapeLiteral(string key) =>
        Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal)).Replace("%27", "'", StringComparison.Ordinal);
}
