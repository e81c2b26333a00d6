using System.Text;

namespace FeedFunctions.Storage;

/// <summary>
/// Writes the multipart/mixed body of an entity group transaction: one batch part holding one changeset, one
/// inner HTTP request per action, CRLF line endings and absolute URLs, as the Table service expects.
/// </summary>
internal sealed class TableBatchRequest
{
    private const string Crlf = "\r\n";

    private readonly string _batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
    private readonly string _changesetBoundary = "changeset_" + Guid.NewGuid().ToString("D");

    public string ContentType => "multipart/mixed; boundary=" + _batchBoundary;

    /// <param name="serviceUrl">Absolute URL of the account's table endpoint, ending in a slash.</param>
    public byte[] Write(string serviceUrl, string tableName, IReadOnlyList<TableTransactionAction> actions)
    {
        var text = new StringBuilder();
        text.Append("--").Append(_batchBoundary).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(_changesetBoundary).Append(Crlf)
            .Append(Crlf);
        foreach (var action in actions)
        {
            var entity = action.Entity;
            var (method, url) = action.ActionType == TableTransactionActionType.Add
                ? ("POST", serviceUrl + tableName)
                : (Method(action.ActionType), serviceUrl + TableKeys.EntityPath(tableName, entity.PartitionKey, entity.RowKey));
            text.Append("--").Append(_changesetBoundary).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf)
                .Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
                .Append("Accept: application/json;odata=minimalmetadata").Append(Crlf)
                .Append("DataServiceVersion: 3.0").Append(Crlf);
            if (action.IfMatch is { } ifMatch)
            {
                text.Append("If-Match: ").Append(ifMatch).Append(Crlf);
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                text.Append(Crlf);
            }
            else
            {
                text.Append("Prefer: return-no-content").Append(Crlf)
                    .Append("Content-Type: application/json").Append(Crlf)
                    .Append(Crlf)
                    .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append(Crlf);
            }
        }

        text.Append("--").Append(_changesetBoundary).Append("--").Append(Crlf)
            .Append("--").Append(_batchBoundary).Append("--").Append(Crlf);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Method(TableTransactionActionType type) => type switch
    {
        TableTransactionActionType.UpdateMerge or TableTransactionActionType.UpsertMerge => "MERGE",
        TableTransactionActionType.UpdateReplace or TableTransactionActionType.UpsertReplace => "PUT",
        TableTransactionActionType.Delete => "DELETE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
