using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Storage;

/// <summary>
/// The Functions storage setting, in each of its forms, reaches the Azure SDK clients the app registers: which
/// account and endpoints they talk to. The SDK parses connection strings and builds credentials; these tests pin
/// down that our mapping of the setting gives it the right input.
/// </summary>
public sealed class StorageConnectionSettingsTests
{
    private static (BlobServiceClient Blobs, QueueServiceClient Queues, TableServiceClient Tables) Clients(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var provider = new ServiceCollection().AddLogging().AddFeedStorage(configuration).BuildServiceProvider();
        return (provider.GetRequiredService<BlobServiceClient>(), provider.GetRequiredService<QueueServiceClient>(), provider.GetRequiredService<TableServiceClient>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("UseDevelopmentStorage=true")]
    public void An_empty_setting_or_development_storage_means_azurite_on_its_default_ports(string? value)
    {
        var (blobs, queues, tables) = Clients(new() { ["AzureWebJobsStorage"] = value });

        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", blobs.Uri.ToString().TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1", queues.Uri.ToString().TrimEnd('/'));
        Assert.Equal("devstoreaccount1", tables.AccountName);
        Assert.True(blobs.CanGenerateAccountSasUri, "a shared key credential");
    }

    [Fact]
    public void An_account_key_connection_string_targets_that_account_on_azure()
    {
        var (blobs, queues, tables) = Clients(new()
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=https;AccountName=contosofeed;AccountKey={AzuriteInstance.DevelopmentAccountKey};EndpointSuffix=core.windows.net",
        });

        Assert.Equal("https://contosofeed.blob.core.windows.net/", blobs.Uri.ToString());
        Assert.Equal("https://contosofeed.queue.core.windows.net/", queues.Uri.ToString());
        Assert.Equal("contosofeed", tables.AccountName);
        Assert.True(blobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void Explicit_endpoints_in_the_connection_string_are_used_as_given()
    {
        var (blobs, queues, _) = Clients(new() { ["AzureWebJobsStorage"] = AzuriteInstance.DevelopmentConnectionString(41000, 41001, 41002) });

        Assert.Equal("http://127.0.0.1:41000/devstoreaccount1", blobs.Uri.ToString().TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:41001/devstoreaccount1", queues.Uri.ToString().TrimEnd('/'));
    }

    [Fact]
    public void Identity_based_settings_use_each_service_uri_and_a_token_credential()
    {
        var (blobs, queues, tables) = Clients(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://contosofeed.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://contosofeed.queue.core.windows.net",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://contosofeed.table.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("https://contosofeed.blob.core.windows.net/", blobs.Uri.ToString());
        Assert.Equal("https://contosofeed.queue.core.windows.net/", queues.Uri.ToString());
        Assert.Equal("contosofeed", tables.AccountName);

        // No account key: the clients authenticate with Entra ID tokens, so they cannot sign SAS themselves.
        Assert.False(blobs.CanGenerateAccountSasUri);
        Assert.False(queues.CanGenerateAccountSasUri);
    }

    [Fact]
    public void An_account_name_alone_derives_the_public_azure_endpoints()
    {
        var (blobs, queues, tables) = Clients(new()
        {
            ["AzureWebJobsStorage:accountName"] = "contosofeed",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        });

        Assert.Equal("https://contosofeed.blob.core.windows.net/", blobs.Uri.ToString());
        Assert.Equal("https://contosofeed.queue.core.windows.net/", queues.Uri.ToString());
        Assert.Equal("contosofeed", tables.AccountName);
    }

    [Fact]
    public void Identity_based_settings_without_a_service_uri_fail_with_the_setting_to_add()
    {
        var error = Assert.ThrowsAny<Exception>(() => Clients(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://contosofeed.blob.core.windows.net",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }));

        Assert.Matches(@"AzureWebJobsStorage__(queue|table)ServiceUri \(or AzureWebJobsStorage__accountName\) is required", error.Message);
    }
}
