namespace FeedFunctions.Storage;

/// <summary>
/// One response of a table query. A page may be empty and still carry a continuation token, so callers keep
/// asking until <see cref="ContinuationToken"/> is null.
/// </summary>
public sealed class TablePage
{
    public TablePage(IReadOnlyList<TableEntity> entities, string? continuationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        Entities = entities;
        ContinuationToken = continuationToken;
    }

    public IReadOnlyList<TableEntity> Entities { get; }

    /// <summary>Opaque; pass it back to <see cref="TableClient.QueryPageAsync"/> with the same filter, select and page size.</summary>
    public string? ContinuationToken { get; }
}
