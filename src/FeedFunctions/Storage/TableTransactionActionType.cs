namespace FeedFunctions.Storage;

/// <summary>The operation one <see cref="TableTransactionAction"/> performs inside an entity group transaction.</summary>
public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}
