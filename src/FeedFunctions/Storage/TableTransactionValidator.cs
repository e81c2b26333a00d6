namespace FeedFunctions.Storage;

/// <summary>
/// The entity-group-transaction rules, checked before anything is sent: Azurite does not enforce the partition and
/// duplicate-row rules (issue #1215), so without this a bad batch would pass the tests and fail in Azure.
/// </summary>
internal static class TableTransactionValidator
{
    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > TableClient.MaxTransactionActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {TableClient.MaxTransactionActions} actions, not {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0]?.Entity.PartitionKey;
        var rowKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var entity = (actions[i] ?? throw new ArgumentException($"Action {i} is null.", nameof(actions))).Entity;
            TableKeys.Validate(entity.PartitionKey, nameof(actions));
            TableKeys.Validate(entity.RowKey, nameof(actions));
            if (!string.Equals(entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"All actions of a transaction must share one PartitionKey: action {i} has '{entity.PartitionKey}', action 0 has '{partitionKey}'.",
                    nameof(actions));
            }

            if (!rowKeys.Add(entity.RowKey))
            {
                throw new ArgumentException($"Action {i} touches RowKey '{entity.RowKey}' again; a transaction may touch each entity once.", nameof(actions));
            }
        }
    }
}
