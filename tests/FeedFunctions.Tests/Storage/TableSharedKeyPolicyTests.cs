using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Storage;

/// <summary>Strings-to-sign that Azurite 3.37.0 accepted (reference §7).</summary>
public sealed class TableSharedKeyPolicyTests
{
    private const string Date = "Sat, 21 Nov 2026 15:26:28 GMT";
    private const string Account = "devstoreaccount1";

    [Fact]
    public void Create_table()
    {
        var actual = TableSharedKeyPolicy.BuildStringToSign(
            "POST", new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables"), null, "application/json", Date, Account);

        Assert.Equal("POST\n\napplication/json\nSat, 21 Nov 2026 15:26:28 GMT\n/devstoreaccount1/devstoreaccount1/Tables", actual);
    }

    [Fact]
    public void Insert_entity()
    {
        var actual = TableSharedKeyPolicy.BuildStringToSign(
            "POST", new Uri("http://127.0.0.1:10002/devstoreaccount1/checktable"), null, "application/json", Date, Account);

        Assert.Equal("POST\n\napplication/json\nSat, 21 Nov 2026 15:26:28 GMT\n/devstoreaccount1/devstoreaccount1/checktable", actual);
    }

    [Fact]
    public void Query_signs_neither_filter_nor_continuation()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/checktable()?$filter=PartitionKey%20eq%20%27p1%27&$top=1&NextPartitionKey=cDE%3D");

        var actual = TableSharedKeyPolicy.BuildStringToSign("GET", uri, null, null, Date, Account);

        Assert.Equal("GET\n\n\nSat, 21 Nov 2026 15:26:28 GMT\n/devstoreaccount1/devstoreaccount1/checktable()", actual);
    }

    [Fact]
    public void Comp_is_the_only_signed_query_parameter()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/checktable?timeout=5&comp=acl");

        var actual = TableSharedKeyPolicy.BuildStringToSign("GET", uri, null, null, Date, Account);

        Assert.Equal("GET\n\n\nSat, 21 Nov 2026 15:26:28 GMT\n/devstoreaccount1/devstoreaccount1/checktable?comp=acl", actual);
    }

    [Fact]
    public void Batch_signs_the_full_multipart_content_type()
    {
        var actual = TableSharedKeyPolicy.BuildStringToSign(
            "POST", new Uri("http://127.0.0.1:10002/devstoreaccount1/$batch"), null, "multipart/mixed; boundary=batch_1", Date, Account);

        Assert.Equal("POST\n\nmultipart/mixed; boundary=batch_1\nSat, 21 Nov 2026 15:26:28 GMT\n/devstoreaccount1/devstoreaccount1/$batch", actual);
    }

    [Fact]
    public void Entity_path_is_signed_as_encoded_on_the_wire()
    {
        var uri = new Uri("http://127.0.0.1:10002/devstoreaccount1/checktable(PartitionKey='p2',RowKey='O''Brien%20%C3%A9')");

        var actual = TableSharedKeyPolicy.BuildStringToSign("DELETE", uri, null, null, Date, Account);

        Assert.EndsWith("\n/devstoreaccount1/devstoreaccount1/checktable(PartitionKey='p2',RowKey='O''Brien%20%C3%A9')", actual);
    }
}
