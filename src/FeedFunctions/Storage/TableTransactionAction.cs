namespace FeedFunctions.Storage;

/// <summary>One operation of an entity group transaction (<see cref="TableClient.SubmitTransactionAsync"/>).</summary>
public sealed class TableTransactionAction
{
    /// <param name="ifMatch">
    /// For updates: the ETag the stored entity must still have (<c>*</c> for any); defaults to <see cref="TableEntity.ETag"/>
    /// because an update without a precondition is an upsert-shaped mistake. For deletes: defaults to <c>*</c>.
    /// Ignored for adds and upserts, which carry no precondition.
    /// </param>
    public TableTransactionAction(TableTransactionActionType actionType, TableEntity entity, string? ifMatch = null)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (!Enum.IsDefined(actionType))
        {
            throw new ArgumentOutOfRangeException(nameof(actionType));
        }

        ActionType = actionType;
        Entity = entity;
        IfMatch = actionType switch
        {
            TableTransactionActionType.Delete => ifMatch ?? "*",
            TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpdateReplace =>
                ifMatch ?? entity.ETag ?? throw new ArgumentException(
                    "An update needs an If-Match ETag (or \"*\"): pass ifMatch or set entity.ETag.", nameof(ifMatch)),
            _ => null,
        };
    }

    public TableTransactionActionType ActionType { get; }

    public TableEntity Entity { get; }

    /// <summary>The If-Match value sent with the operation, or null when the operation takes none.</summary>
    public string? IfMatch { get; }

    public static TableTransactionAction Add(TableEntity entity) => new(TableTransactionActionType.Add, entity);

    public static TableTransactionAction Update(TableEntity entity, string ifMatch, TableUpdateMode mode) =>
        new(mode == TableUpdateMode.Merge ? TableTransactionActionType.UpdateMerge : TableTransactionActionType.UpdateReplace, entity, ifMatch);

    public static TableTransactionAction Upsert(TableEntity entity, TableUpdateMode mode) =>
        new(mode == TableUpdateMode.Merge ? TableTransactionActionType.UpsertMerge : TableTransactionActionType.UpsertReplace, entity);

    public static TableTransactionAction Delete(string partitionKey, string rowKey, string ifMatch = "*") =>
        new(TableTransactionActionType.Delete, new TableEntity(partitionKey, rowKey), ifMatch);

    public override string ToString() => $"{ActionType} ({Entity.PartitionKey}, {Entity.RowKey})";
}
