using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FeedFunctions.Storage;

/// <summary>
/// One table over the Table REST API (x-ms-version 2020-12-06, JSON). Modelled on Azure.Data.Tables'
/// TableClient; failures surface as <see cref="RequestFailedException"/> with the storage error code.
/// </summary>
public sealed partial class TableClient
{
    public const int MaxTransactionActions = 100;
    public const int MaxPageSize = 1000;

    private const string Json = "application/json";

    // Entity reads need the metadata flavour: without it odata.etag and the @odata.type annotations are dropped.
    private const string WithMetadata = "application/json;odata=minimalmetadata";
    private const string WithoutMetadata = "application/json;odata=nometadata";
    private const string TableNotFound = "TableNotFound";
    private const string TableAlreadyExists = "TableAlreadyExists";

    private static readonly RequestMethod Merge = new("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly string _serviceUrl;
    private readonly string _tableUrl;

    public TableClient(StorageConnection connection, string tableName, StorageClientOptions? options = null)
        : this(StoragePipeline.Build(connection ?? throw new ArgumentNullException(nameof(connection)), StorageService.Table, options),
            connection.TableEndpoint, tableName)
    {
    }

    /// <param name="pipeline">A Table pipeline from <see cref="StoragePipeline.Build"/>, shareable between tables.</param>
    /// <param name="serviceEndpoint">The account's table endpoint, e.g. <c>http://127.0.0.1:10002/devstoreaccount1</c>.</param>
    public TableClient(HttpPipeline pipeline, Uri serviceEndpoint, string tableName)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(serviceEndpoint);
        ArgumentNullException.ThrowIfNull(tableName);
        if (!TableNamePattern().IsMatch(tableName))
        {
            throw new ArgumentException("Table names are 3-63 letters and digits, starting with a letter.", nameof(tableName));
        }

        _pipeline = pipeline;
        Name = tableName;
        _serviceUrl = serviceEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        _tableUrl = _serviceUrl + tableName;
    }

    public string Name { get; }

    /// <summary>Creates the table; returns false when it already existed.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, _serviceUrl + "Tables", WithoutMetadata);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonBody(message, JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsError)
        {
            return true;
        }

        var error = await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        return error.Is(409, TableAlreadyExists) ? false : throw error;
    }

    /// <summary>Inserts a new entity; an existing one fails with 409 <c>EntityAlreadyExists</c>. Returns the new ETag.</summary>
    public async Task<string> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        TableKeys.Validate(entity.PartitionKey, nameof(entity));
        TableKeys.Validate(entity.RowKey, nameof(entity));
        using var message = CreateMessage(RequestMethod.Post, _tableUrl, WithoutMetadata);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonBody(message, TableEntityJson.Serialize(entity));
        return await SendForETagAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates an existing entity if its ETag still equals <paramref name="ifMatch"/> (<c>*</c> for any): 412
    /// <c>UpdateConditionNotSatisfied</c> otherwise, 404 when it is missing. Returns the new ETag.
    /// </summary>
    public async Task<string> UpdateEntityAsync(
        TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var message = CreateEntityWrite(entity, mode);
        message.Request.Headers.SetValue("If-Match", ifMatch);
        return await SendForETagAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts the entity, or merges into / replaces the stored one, without any precondition. Returns the new ETag.</summary>
    public async Task<string> UpsertEntityAsync(
        TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var message = CreateEntityWrite(entity, mode);
        return await SendForETagAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one entity; a missing one fails with 404.</summary>
    public async Task<TableEntity> GetEntityAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        await GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: true, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("Unreachable: a missing entity throws.");

    /// <summary>Reads one entity, or returns null when it does not exist. A missing table still throws.</summary>
    public Task<TableEntity?> GetEntityIfExistsAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: false, cancellationToken);

    /// <summary>
    /// Deletes the entity if its ETag equals <paramref name="ifMatch"/> (412 otherwise). Returns false when it did
    /// not exist; a missing table still throws.
    /// </summary>
    public async Task<bool> DeleteEntityAsync(
        string partitionKey, string rowKey, string ifMatch = "*", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var message = CreateMessage(RequestMethod.Delete, _serviceUrl + TableKeys.EntityPath(Name, partitionKey, rowKey), WithoutMetadata);
        message.Request.Headers.SetValue("If-Match", ifMatch);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsError)
        {
            return true;
        }

        var error = await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        return IsMissingEntity(error) ? false : throw error;
    }

    /// <summary>
    /// All entities matching <paramref name="filter"/> (null for all), fetching pages of up to
    /// <paramref name="maxPerPage"/> lazily as the caller enumerates.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? maxPerPage = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToList();
        string? continuation = null;
        do
        {
            var page = await QueryPageAsync(filter, selected, maxPerPage, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            continuation = page.ContinuationToken;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// One page of a query. Pass the returned token back, with the same filter, select and page size, for the next page;
    /// pages can be empty while the token is still set.
    /// </summary>
    public async Task<TablePage> QueryPageAsync(
        string? filter = null,
        IEnumerable<string>? select = null,
        int? maxPerPage = null,
        string? continuationToken = null,
        CancellationToken cancellationToken = default)
    {
        if (maxPerPage is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPerPage), maxPerPage, $"Page size must be 1..{MaxPageSize}.");
        }

        using var message = CreateMessage(RequestMethod.Get, _tableUrl + "()", WithMetadata);
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }

        AppendSelect(uri, select);
        if (maxPerPage is { } top)
        {
            uri.AppendQuery("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture), escapeValue: false);
        }

        if (continuationToken is not null)
        {
            var (nextPartitionKey, nextRowKey) = TableContinuation.Parse(continuationToken);
            uri.AppendQuery("NextPartitionKey", nextPartitionKey, escapeValue: true);
            if (nextRowKey is not null)
            {
                uri.AppendQuery("NextRowKey", nextRowKey, escapeValue: true);
            }
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var entities = document.RootElement.TryGetProperty("value", out var value)
            ? value.EnumerateArray().Select(TableEntityJson.Deserialize).ToList()
            : [];
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRk);
        return new TablePage(entities, TableContinuation.Format(nextPk, nextRk));
    }

    /// <summary>
    /// Runs up to 100 actions on one partition atomically. Returns the ETag each action produced (null for deletes).
    /// When one action fails nothing is applied, and the <see cref="RequestFailedException"/> carries that action's
    /// status and error code, with its index in the message and in <c>Data["FailedIndex"]</c>.
    /// </summary>
    public async Task<IReadOnlyList<string?>> SubmitTransactionAsync(
        IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        TableTransactionValidator.Validate(actions);
        var batch = new TableBatchRequest();
        using var message = CreateMessage(RequestMethod.Post, _serviceUrl + "$batch", Json);
        message.Request.Headers.SetValue("Content-Type", batch.ContentType);
        message.Request.Content = RequestContent.Create(batch.Write(_serviceUrl, Name, actions));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var parts = TableBatchResponseReader.Read(Encoding.UTF8.GetString(response.Content.ToMemory().Span));
        if (parts.FirstOrDefault(p => p.IsError) is { } failed)
        {
            throw TransactionFailed(failed, actions);
        }

        if (parts.Count != actions.Count)
        {
            throw new InvalidOperationException($"The batch response held {parts.Count} results for {actions.Count} actions.");
        }

        return parts.Select(p => p.ETag).ToList();
    }

    private static RequestFailedException TransactionFailed(TableBatchSubResponse failed, IReadOnlyList<TableTransactionAction> actions)
    {
        var (code, detail, index) = failed.ReadError();
        index ??= actions.Count == 1 ? 0 : null;
        var which = index is { } i && i >= 0 && i < actions.Count ? $"action {i} ({actions[i]})" : "an unidentified action";
        var text = $"Table transaction failed at {which}: {failed.Status} {failed.ReasonPhrase}" +
                   (code is null ? string.Empty : $" ({code})") +
                   (string.IsNullOrEmpty(detail) ? string.Empty : $": {detail}");
        var exception = new RequestFailedException(failed.Status, text, code, null);
        if (index is not null)
        {
            exception.Data["FailedIndex"] = index.Value;
        }

        return exception;
    }

    private async Task<TableEntity?> GetEntityCoreAsync(
        string partitionKey, string rowKey, IEnumerable<string>? select, bool throwIfMissing, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, _serviceUrl + TableKeys.EntityPath(Name, partitionKey, rowKey), WithMetadata);
        AppendSelect(message.Request.Uri, select);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            var error = await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
            return !throwIfMissing && IsMissingEntity(error) ? null : throw error;
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Deserialize(document.RootElement);
        if (entity.ETag is null && response.Headers.TryGetValue("ETag", out var etag))
        {
            entity.ETag = etag;
        }

        return entity;
    }

    private HttpMessage CreateEntityWrite(TableEntity entity, TableUpdateMode mode)
    {
        var method = mode switch
        {
            TableUpdateMode.Merge => Merge,
            TableUpdateMode.Replace => RequestMethod.Put,
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        var message = CreateMessage(method, _serviceUrl + TableKeys.EntityPath(Name, entity.PartitionKey, entity.RowKey), WithoutMetadata);
        SetJsonBody(message, TableEntityJson.Serialize(entity));
        return message;
    }

    private HttpMessage CreateMessage(RequestMethod method, string url, string accept)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri(url));
        message.Request.Headers.SetValue("Accept", accept);
        return message;
    }

    private static void SetJsonBody(HttpMessage message, byte[] json)
    {
        // Content-Type is part of the Table string-to-sign, so it must be on the request before the signer runs.
        message.Request.Headers.SetValue("Content-Type", Json);
        message.Request.Content = RequestContent.Create(json);
    }

    // A projection still needs the keys, or the entity it returns could not be addressed again.
    private static void AppendSelect(RequestUriBuilder uri, IEnumerable<string>? select)
    {
        if (select is null)
        {
            return;
        }

        var names = new List<string> { "PartitionKey", "RowKey" };
        foreach (var name in select)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(select));
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        uri.AppendQuery("$select", string.Join(',', names), escapeValue: true);
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    private async Task<string> SendForETagAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            throw await StorageErrors.CreateAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response.Headers.TryGetValue("ETag", out var etag)
            ? etag
            : throw new InvalidOperationException($"The Table service answered {response.Status} without an ETag.");
    }

    // 404 for a missing entity is an answer; 404 for a missing table is a misconfiguration the caller must see.
    private static bool IsMissingEntity(RequestFailedException error) => error.Status == 404 && error.ErrorCode != TableNotFound;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
