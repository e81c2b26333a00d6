using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Storage;

public sealed class StorageConnectionStringTests
{
    private const string Key = StorageConnectionString.DevelopmentAccountKey;

    [Fact]
    public void Development_storage_uses_the_emulator_ports_and_account()
    {
        var connection = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal("devstoreaccount1", connection.SharedKey?.AccountName);
        Assert.Null(connection.TokenCredential);
    }

    [Fact]
    public void Development_storage_proxy_swaps_scheme_and_host_but_keeps_the_ports()
    {
        var connection = StorageConnectionString.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=https://devhost:8443");

        Assert.Equal(new Uri("https://devhost:10001/devstoreaccount1"), connection.QueueEndpoint);
    }

    [Fact]
    public void Account_name_and_key_give_https_endpoints_with_the_suffix()
    {
        var connection = StorageConnectionString.Parse($"AccountName=feedacct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://feedacct.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://feedacct.queue.core.chinacloudapi.cn"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://feedacct.table.core.chinacloudapi.cn"), connection.TableEndpoint);
        Assert.Equal("feedacct", connection.SharedKey?.AccountName);
    }

    [Fact]
    public void Endpoint_suffix_defaults_to_core_windows_net_and_protocol_can_be_http()
    {
        var connection = StorageConnectionString.Parse($"DefaultEndpointsProtocol=http;AccountName=feedacct;AccountKey={Key}");

        Assert.Equal(new Uri("http://feedacct.queue.core.windows.net"), connection.QueueEndpoint);
    }

    [Fact]
    public void Explicit_endpoints_win_and_the_account_name_still_signs()
    {
        var connection = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey={Key};" +
            "QueueEndpoint=http://127.0.0.1:20101/devstoreaccount1;EndpointSuffix=example.net;");

        Assert.Equal(new Uri("http://127.0.0.1:20101/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://devstoreaccount1.blob.example.net"), connection.BlobEndpoint);
        Assert.Equal("devstoreaccount1", connection.SharedKey?.AccountName);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_values_keep_their_equals_signs()
    {
        var connection = StorageConnectionString.Parse($"defaultendpointsprotocol=HTTP; ACCOUNTNAME=feedacct ;accountkey={Key};queueendpoint=http://q.local/feedacct");

        Assert.Equal(new Uri("http://q.local/feedacct"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://feedacct.blob.core.windows.net"), connection.BlobEndpoint);
        var expected = new StorageSharedKeyCredential("feedacct", Key).ComputeSignature("x");
        Assert.Equal(expected, connection.SharedKey!.ComputeSignature("x"));
    }

    [Theory]
    [InlineData("AccountName=a;accountname=b;AccountKey=" + Key)]
    [InlineData("AccountName=feedacct;AccountKey")]
    [InlineData("AccountName=feedacct;AccountKey=not*base64!")]
    [InlineData("AccountName=feedacct;AccountKey=")]
    [InlineData("AccountName=;AccountKey=" + Key)]
    [InlineData("AccountName=feedacct")]
    [InlineData("=x;AccountName=feedacct;AccountKey=" + Key)]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=feedacct;AccountKey=" + Key)]
    [InlineData("AccountName=feedacct;AccountKey=" + Key + ";QueueEndpoint=not a uri")]
    public void Malformed_connection_strings_throw_FormatException(string connectionString)
    {
        Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));
    }
}
