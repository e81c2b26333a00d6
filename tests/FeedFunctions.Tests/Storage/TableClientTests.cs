using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Storage;

/// <summary>Integration tests against the shared Azurite; every test works in a table of its own.</summary>
public sealed class TableClientTests
{
    [Fact]
    public async Task CreateIfNotExists_reports_whether_it_created()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var table = new TableClient(azurite.Connection, StorageNames.Table());

        Assert.True(await table.CreateIfNotExistsAsync());
        Assert.False(await table.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task Typed_properties_round_trip()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2026, 11, 21, 15, 26, 28, TimeSpan.FromHours(2)).AddTicks(1234567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("p", "r")
        {
            { "Text", "hello" },
            { "Flag", true },
            { "Small", 42 },
            { "Big", (1L << 53) + 1 },
            { "Whole", 2.0 },
            { "Fraction", 0.1 },
            { "When", when },
            { "Id", id },
            { "Bytes", new byte[] { 0, 1, 254, 255 } },
        };

        var etag = await table.AddEntityAsync(entity);
        var read = await table.GetEntityAsync("p", "r");

        Assert.Equal(etag, read.ETag);
        Assert.NotNull(read.Timestamp);
        Assert.Equal("hello", read.GetString("Text"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(42, Assert.IsType<int>(read["Small"]));
        Assert.Equal((1L << 53) + 1, Assert.IsType<long>(read["Big"]));
        Assert.Equal(2.0, Assert.IsType<double>(read["Whole"]));
        Assert.Equal(0.1, read.GetDouble("Fraction"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(when.UtcTicks, read.GetDateTimeOffset("When")!.Value.UtcTicks);
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 254, 255 }, read.GetBinary("Bytes"));
        Assert.Null(read.GetString("Missing"));
        Assert.Equal(9, read.Count);
    }

    [Fact]
    public async Task Adding_an_existing_entity_fails_with_409()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["X"] = 1 }));

        Assert.Equal(409, error.Status);
        Assert.Equal(StorageErrors.EntityAlreadyExists, error.ErrorCode);
    }

    [Fact]
    public async Task Update_needs_the_current_etag()
    {
        var table = await NewTableAsync();
        var first = await table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        var second = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, first, TableUpdateMode.Replace);
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 3 }, first, TableUpdateMode.Replace));

        Assert.NotEqual(first, second);
        Assert.Equal(412, error.Status);
        Assert.Equal(StorageErrors.UpdateConditionNotSatisfied, error.ErrorCode);
        var stored = await table.GetEntityAsync("p", "r");
        Assert.Equal(2, stored.GetInt32("N"));
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task Update_of_a_missing_entity_fails_with_404()
    {
        var table = await NewTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "missing"), "*", TableUpdateMode.Merge));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task Merge_keeps_other_properties_and_replace_drops_them()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, "*", TableUpdateMode.Merge);
        var merged = await table.GetEntityAsync("p", "r");
        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["C"] = "c" }, merged.ETag!, TableUpdateMode.Replace);
        var replaced = await table.GetEntityAsync("p", "r");

        Assert.Equal(("a", "b2"), (merged.GetString("A"), merged.GetString("B")));
        Assert.Equal(["C"], replaced.Keys);
    }

    [Fact]
    public async Task Upsert_inserts_then_merges_or_replaces()
    {
        var table = await NewTableAsync();

        var inserted = await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1 }, TableUpdateMode.Merge);
        var merged = await table.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = 2 }, TableUpdateMode.Merge);
        var afterMerge = await table.GetEntityAsync("p", "r");
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["C"] = 3 }, TableUpdateMode.Replace);
        var afterReplace = await table.GetEntityAsync("p", "r");

        Assert.NotEqual(inserted, merged);
        Assert.Equal(merged, afterMerge.ETag);
        Assert.Equal((1, 2), (afterMerge.GetInt32("A"), afterMerge.GetInt32("B")));
        Assert.Equal(["C"], afterReplace.Keys);
    }

    [Fact]
    public async Task Delete_honours_etag_and_reports_missing_entities()
    {
        var table = await NewTableAsync();
        var stale = await table.AddEntityAsync(new TableEntity("p", "r"));
        var current = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["X"] = 1 }, stale, TableUpdateMode.Merge);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", stale));
        Assert.Equal(412, error.Status);
        Assert.NotNull(await table.GetEntityIfExistsAsync("p", "r"));

        Assert.True(await table.DeleteEntityAsync("p", "r", current));
        Assert.False(await table.DeleteEntityAsync("p", "r"));
        Assert.Null(await table.GetEntityIfExistsAsync("p", "r"));
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "r"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task A_missing_table_is_not_mistaken_for_a_missing_entity()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var table = new TableClient(azurite.Connection, StorageNames.Table());

        var read = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityIfExistsAsync("p", "r"));
        var delete = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r"));

        Assert.Equal((404, "TableNotFound"), (read.Status, read.ErrorCode));
        Assert.Equal((404, "TableNotFound"), (delete.Status, delete.ErrorCode));
    }

    [Fact]
    public async Task Query_filters_selects_and_pages()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 7; i++)
        {
            await table.AddEntityAsync(new TableEntity(i < 6 ? "p" : "other", $"r{i:D2}")
            {
                ["Kind"] = i % 3 == 0 ? "skip" : "keep",
                ["Name"] = $"n{i}",
                ["Big"] = long.MaxValue - i,
            });
        }

        var filter = TableFilter.And(TableFilter.Equal("PartitionKey", "p"), TableFilter.Equal("Kind", "keep"));
        var pages = new List<TablePage>();
        string? token = null;
        do
        {
            var page = await table.QueryPageAsync(filter, ["Name"], maxPerPage: 2, continuationToken: token);
            pages.Add(page);
            token = page.ContinuationToken;
            Assert.True(pages.Count < 10, "Paging did not terminate.");
        }
        while (token is not null);
        var all = await table.QueryAsync(filter, ["Name"], maxPerPage: 2).ToListAsync();

        Assert.True(pages.Count > 1, $"Expected several pages, got {pages.Count}.");
        Assert.All(pages, p => Assert.True(p.Entities.Count <= 2));
        string[] expected = ["r01", "r02", "r04", "r05"];
        Assert.Equal(expected, pages.SelectMany(p => p.Entities).Select(e => e.RowKey));
        Assert.Equal(expected, all.Select(e => e.RowKey));
        Assert.All(all, e =>
        {
            Assert.Equal("p", e.PartitionKey);
            Assert.Equal(["Name"], e.Keys);
            Assert.NotNull(e.ETag);
        });
    }

    [Fact]
    public async Task Query_without_filter_returns_everything_with_types()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("a", "1") { ["Big"] = long.MinValue, ["Whole"] = 3.0 });
        await table.AddEntityAsync(new TableEntity("b", "1"));

        var all = await table.QueryAsync().ToListAsync();

        Assert.Equal(["a", "b"], all.Select(e => e.PartitionKey));
        Assert.Equal(long.MinValue, all[0].GetInt64("Big"));
        Assert.IsType<double>(all[0]["Whole"]);
    }

    [Theory]
    [InlineData("O'Brien é", "it's")]
    [InlineData("p", "a b+c&d=e;f(g)!*~%25'' ü日本")]
    public async Task Keys_with_quotes_and_non_ascii_work_everywhere(string partitionKey, string rowKey)
    {
        var table = await NewTableAsync();

        var etag = await table.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 });
        var read = await table.GetEntityAsync(partitionKey, rowKey);
        var updated = await table.UpdateEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 2 }, etag, TableUpdateMode.Merge);
        var queried = await table.QueryAsync(TableFilter.And(TableFilter.Equal("PartitionKey", partitionKey), TableFilter.Equal("RowKey", rowKey)))
            .ToListAsync();
        await table.SubmitTransactionAsync([TableTransactionAction.Update(new TableEntity(partitionKey, rowKey) { ["V"] = 3 }, updated, TableUpdateMode.Merge)]);
        var afterBatch = await table.GetEntityAsync(partitionKey, rowKey);

        Assert.Equal((partitionKey, rowKey), (read.PartitionKey, read.RowKey));
        Assert.Equal(2, Assert.Single(queried).GetInt32("V"));
        Assert.Equal(3, afterBatch.GetInt32("V"));
        Assert.True(await table.DeleteEntityAsync(partitionKey, rowKey));
    }

    [Fact]
    public async Task Invalid_keys_are_rejected_before_sending()
    {
        var (table, requests) = await NewCountingTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "a/b")));
        await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityAsync("p#", "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync("p", "tab\there"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity("p", new string('x', 1025))));

        Assert.Equal(0, requests.Count);
    }

    [Fact]
    public async Task Transaction_commits_all_actions()
    {
        var table = await NewTableAsync();
        var updateEtag = await table.AddEntityAsync(new TableEntity("p", "update") { ["A"] = "a", ["B"] = "b" });
        await table.AddEntityAsync(new TableEntity("p", "replace") { ["A"] = "a" });
        await table.AddEntityAsync(new TableEntity("p", "delete"));

        var etags = await table.SubmitTransactionAsync(
        [
            TableTransactionAction.Add(new TableEntity("p", "new") { ["N"] = 1L }),
            TableTransactionAction.Update(new TableEntity("p", "update") { ["B"] = "b2" }, updateEtag, TableUpdateMode.Merge),
            TableTransactionAction.Upsert(new TableEntity("p", "replace") { ["C"] = "c" }, TableUpdateMode.Replace),
            TableTransactionAction.Upsert(new TableEntity("p", "merged") { ["M"] = true }, TableUpdateMode.Merge),
            TableTransactionAction.Delete("p", "delete"),
        ]);

        Assert.Equal(5, etags.Count);
        Assert.All(etags.Take(4), Assert.NotNull);
        Assert.Null(etags[4]);
        var rows = (await table.QueryAsync(TableFilter.Equal("PartitionKey", "p")).ToListAsync()).ToDictionary(e => e.RowKey);
        Assert.Equal(["merged", "new", "replace", "update"], rows.Keys.Order());
        Assert.Equal(etags[0], rows["new"].ETag);
        Assert.Equal(1L, rows["new"].GetInt64("N"));
        Assert.Equal(("a", "b2"), (rows["update"].GetString("A"), rows["update"].GetString("B")));
        Assert.Equal(["C"], rows["replace"].Keys);
        Assert.True(rows["merged"].GetBoolean("M"));
    }

    [Fact]
    public async Task Transaction_with_a_duplicate_insert_rolls_back_entirely()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "exists") { ["V"] = "original" });
        await table.AddEntityAsync(new TableEntity("p", "victim"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.SubmitTransactionAsync(
        [
            TableTransactionAction.Add(new TableEntity("p", "a")),
            TableTransactionAction.Delete("p", "victim"),
            TableTransactionAction.Add(new TableEntity("p", "exists") { ["V"] = "overwritten" }),
            TableTransactionAction.Add(new TableEntity("p", "b")),
        ]));

        Assert.Equal(409, error.Status);
        Assert.Equal(StorageErrors.EntityAlreadyExists, error.ErrorCode);
        Assert.Equal(2, error.Data["FailedIndex"]);
        Assert.Contains("action 2", error.Message);
        var rows = await table.QueryAsync().ToListAsync();
        Assert.Equal(["exists", "victim"], rows.Select(e => e.RowKey));
        Assert.Equal("original", rows[0].GetString("V"));
    }

    [Fact]
    public async Task Transaction_with_a_stale_etag_fails_with_412()
    {
        var table = await NewTableAsync();
        var stale = await table.AddEntityAsync(new TableEntity("p", "r"));
        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["X"] = 1 }, stale, TableUpdateMode.Merge);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.SubmitTransactionAsync(
        [
            TableTransactionAction.Add(new TableEntity("p", "new")),
            TableTransactionAction.Update(new TableEntity("p", "r") { ["X"] = 2 }, stale, TableUpdateMode.Replace),
        ]));

        Assert.Equal(412, error.Status);
        Assert.Equal(1, error.Data["FailedIndex"]);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "new"));
    }

    [Fact]
    public async Task Invalid_transactions_are_rejected_before_sending()
    {
        var (table, requests) = await NewCountingTableAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [TableTransactionAction.Add(new TableEntity("p1", "a")), TableTransactionAction.Add(new TableEntity("p2", "b"))]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            [TableTransactionAction.Add(new TableEntity("p", "a")), TableTransactionAction.Delete("p", "a")]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(
            Enumerable.Range(0, 101).Select(i => TableTransactionAction.Add(new TableEntity("p", $"r{i}"))).ToList()));

        Assert.Equal(0, requests.Count);
        Assert.Empty(await table.QueryAsync().ToListAsync());
    }

    [Fact]
    public async Task One_pipeline_serves_several_tables()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var pipeline = StoragePipeline.Build(azurite.Connection, StorageService.Table);
        var first = new TableClient(pipeline, azurite.Connection.TableEndpoint, StorageNames.Table());
        var second = new TableClient(pipeline, new Uri(azurite.Connection.TableEndpoint + "/"), StorageNames.Table());
        await first.CreateIfNotExistsAsync();
        await second.CreateIfNotExistsAsync();

        await first.AddEntityAsync(new TableEntity("p", "only-in-first"));

        Assert.Single(await first.QueryAsync().ToListAsync());
        Assert.Empty(await second.QueryAsync().ToListAsync());
    }

    private static async Task<TableClient> NewTableAsync()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var table = new TableClient(azurite.Connection, StorageNames.Table());
        Assert.True(await table.CreateIfNotExistsAsync());
        return table;
    }

    private static async Task<(TableClient Table, RequestCounter Requests)> NewCountingTableAsync()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var counter = new RequestCounter();
        var options = new StorageClientOptions();
        options.PerRetryPolicies.Add(counter);
        var table = new TableClient(azurite.Connection, StorageNames.Table(), options);
        await new TableClient(azurite.Connection, table.Name).CreateIfNotExistsAsync();
        return (table, counter);
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => _count;

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
