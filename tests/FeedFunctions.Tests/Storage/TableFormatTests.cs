using System.Text;
using System.Text.Json;
using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Storage;

/// <summary>Unit tests of the wire formats behind <see cref="TableClient"/>: no Azurite needed.</summary>
public sealed class TableFormatTests
{
    [Fact]
    public void Entity_path_doubles_quotes_then_percent_encodes()
    {
        Assert.Equal("t(PartitionKey='p2',RowKey='O''Brien%20%C3%A9')", TableKeys.EntityPath("t", "p2", "O'Brien é"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    public void Forbidden_key_characters_throw(string key)
    {
        Assert.Throws<ArgumentException>(() => TableKeys.Validate(key, "key"));
    }

    [Fact]
    public void Key_length_is_capped()
    {
        TableKeys.Validate(new string('k', TableKeys.MaxLength), "key");
        Assert.Throws<ArgumentException>(() => TableKeys.Validate(new string('k', TableKeys.MaxLength + 1), "key"));
    }

    [Fact]
    public void Filter_helpers_quote_and_combine()
    {
        Assert.Equal("'O''Brien'", TableFilter.Quote("O'Brien"));
        Assert.Equal("Name eq 'O''Brien'", TableFilter.Equal("Name", "O'Brien"));
        Assert.Equal("Count eq 5L", TableFilter.Equal("Count", 5L));
        Assert.Equal("(A eq true) and (B ge 'x')", TableFilter.And(TableFilter.Equal("A", true), TableFilter.Compare("B", "ge", TableFilter.Quote("x"))));
        Assert.Throws<ArgumentException>(() => TableFilter.Compare("A", "==", "1"));
    }

    [Fact]
    public void Serialized_entity_annotates_types_json_cannot_carry()
    {
        var entity = new TableEntity("p", "r")
        {
            { "L", 9007199254740993L },
            { "D", 2.0 },
            { "T", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)).AddTicks(1) },
            { "I", 7 },
        };

        var json = Encoding.UTF8.GetString(TableEntityJson.Serialize(entity));

        Assert.Equal(
            """
            {"PartitionKey":"p","RowKey":"r","L@odata.type":"Edm.Int64","L":"9007199254740993","D@odata.type":"Edm.Double","D":2,"T@odata.type":"Edm.DateTime","T":"2026-01-02T02:04:05.0000001Z","I":7}
            """,
            json);
    }

    [Fact]
    public void Deserialized_entity_restores_types_and_system_properties()
    {
        using var document = JsonDocument.Parse(
            """
            {"odata.etag":"W/\"x\"","PartitionKey":"p","RowKey":"r","Timestamp":"2026-11-21T15:26:28.3966582Z",
             "Whole":3,"Fraction":1.5,"D@odata.type":"Edm.Double","D":"NaN","S":"s","N":null}
            """);

        var entity = TableEntityJson.Deserialize(document.RootElement);

        Assert.Equal(("p", "r", "W/\"x\""), (entity.PartitionKey, entity.RowKey, entity.ETag));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 15, 26, 28, TimeSpan.Zero).AddTicks(3966582), entity.Timestamp);
        Assert.IsType<int>(entity["Whole"]);
        Assert.IsType<double>(entity["Fraction"]);
        Assert.True(double.IsNaN(entity.GetDouble("D")!.Value));
        Assert.Equal(["Whole", "Fraction", "D", "S"], entity.Keys);
    }

    [Fact]
    public void Entity_rejects_unsupported_values_and_reserved_names()
    {
        var entity = new TableEntity("p", "r");

        Assert.Throws<ArgumentException>(() => entity["X"] = 1.5m);
        Assert.Throws<ArgumentException>(() => entity["X"] = DateTime.UtcNow);
        Assert.Throws<ArgumentException>(() => entity["RowKey"] = "r2");
        Assert.Throws<ArgumentException>(() => entity["X@odata.type"] = "Edm.String");
        entity["X"] = "x";
        Assert.Throws<InvalidOperationException>(() => entity.GetInt32("X"));
        entity["X"] = null;
        Assert.Equal(0, entity.Count);
    }

    [Fact]
    public void Continuation_token_round_trips_both_keys()
    {
        var token = TableContinuation.Format("1!8!U21pdGg-", "a b=")!;

        Assert.Equal(("1!8!U21pdGg-", "a b="), TableContinuation.Parse(token));
        Assert.Equal(("cDE=", null), TableContinuation.Parse(TableContinuation.Format("cDE=", null)!));
        Assert.Null(TableContinuation.Format(null, "x"));
        Assert.Throws<ArgumentException>(() => TableContinuation.Parse("a b c"));
    }

    [Fact]
    public void Batch_request_uses_one_changeset_crlf_and_absolute_urls()
    {
        var batch = new TableBatchRequest();

        var body = Encoding.UTF8.GetString(batch.Write("http://h:1/acct/", "t",
        [
            TableTransactionAction.Add(new TableEntity("p", "a")),
            TableTransactionAction.Update(new TableEntity("p", "b"), "W/\"e\"", TableUpdateMode.Merge),
            TableTransactionAction.Delete("p", "c"),
        ]));

        Assert.DoesNotContain("\n", body.Replace("\r\n", string.Empty));
        Assert.Contains("\r\nPOST http://h:1/acct/t HTTP/1.1\r\n", body);
        Assert.Contains("\r\nMERGE http://h:1/acct/t(PartitionKey='p',RowKey='b') HTTP/1.1\r\n", body);
        Assert.Contains("\r\nIf-Match: W/\"e\"\r\n", body);
        Assert.Contains("\r\nDELETE http://h:1/acct/t(PartitionKey='p',RowKey='c') HTTP/1.1\r\n", body);
        Assert.Contains("\r\nIf-Match: *\r\n", body);
        Assert.DoesNotContain("{}", body);
        Assert.StartsWith("multipart/mixed; boundary=batch_", batch.ContentType);
        Assert.EndsWith(batch.ContentType["multipart/mixed; boundary=".Length..] + "--\r\n", body);
        Assert.Single(body.Split("Content-Type: multipart/mixed; boundary=changeset_").Skip(1));
    }

    [Fact]
    public void Batch_response_reader_finds_the_failed_action()
    {
        const string body =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 409 Conflict\r\nContent-ID: 3\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"2:The specified entity already exists.\\nRequestId:x\"}}}\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var part = Assert.Single(TableBatchResponseReader.Read(body));

        Assert.Equal((409, "Conflict"), (part.Status, part.ReasonPhrase));
        Assert.Equal(("EntityAlreadyExists", "The specified entity already exists.", 2), part.ReadError());
    }

    [Fact]
    public void Batch_response_reader_collects_etags_in_order()
    {
        const string body =
            "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n" +
            "--c\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"1\"\r\n\r\n\r\n" +
            "--c\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n" +
            "--c--\r\n--b--\r\n";

        var parts = TableBatchResponseReader.Read(body);

        Assert.Equal(["W/\"1\"", null], parts.Select(p => p.ETag));
        Assert.All(parts, p => Assert.False(p.IsError));
    }
}
