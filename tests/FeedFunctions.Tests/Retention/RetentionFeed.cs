using System.Net;
using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Retention;

/// <summary>Pushes and reads shared by the retention tests, in process and on the host.</summary>
internal static class RetentionFeed
{
    /// <summary>An in-process feed with these <c>Feed:Retention:*</c> settings, the outbox swept at once, and a clock the test moves.</summary>
    public static async Task<(FeedAppHost Host, ManualTimeProvider Clock)> StartAsync(
        IReadOnlyDictionary<string, string> retention, Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string?>? other = null)
    {
        var clock = new ManualTimeProvider();
        var settings = new Dictionary<string, string?>(other ?? new Dictionary<string, string?>()) { ["Feed:Events:SweepAge"] = "00:00:00" };
        foreach (var (name, value) in retention)
        {
            settings["Feed:Retention:" + name] = value;
        }

        var host = await FeedAppHost.StartAsync(settings, s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            services?.Invoke(s);
        });
        return (host, clock);
    }

    /// <summary>The admin CLI's configuration for an in-process feed (its storage, plus these retention settings).</summary>
    public static IConfiguration CliConfiguration(FeedAppHost host, IReadOnlyDictionary<string, string> retention)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
            ["Feed:Storage:NamePrefix"] = host.NamePrefix,
        };
        foreach (var (name, value) in retention)
        {
            values["Feed:Retention:" + name] = value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    public static async Task<byte[]> PushAsync(IFeedUnderTest host, string id, string version)
    {
        var bytes = TestPackage.Create(id, version).ToBytes();
        using var push = await FeedHttp.PushAsync(host, bytes);
        Assert.True(push.StatusCode == HttpStatusCode.Created, $"{id} {version}: {(int)push.StatusCode} {push.ReasonPhrase}");
        return bytes;
    }

    /// <summary>Every event sent and handled (retention's own events included), as the host's triggers would.</summary>
    public static async Task SettleAsync(FeedAppHost host)
    {
        await FeedHttp.WaitForOutboxAsync(host);
        await InProcessEvents.DrainAsync(host);
    }

    /// <summary>The id's version rows, as normalized versions.</summary>
    public static async Task<List<string>> VersionsAsync(IFeedUnderTest host, string id) =>
        (await RowsAsync(host, id)).Select(r => r.Version).ToList();

    public static async Task<List<PackageRecord>> RowsAsync(IFeedUnderTest host, string id)
    {
        var rows = new List<PackageRecord>();
        await foreach (var row in host.Storage.PackagesTable.QueryAsync<TableEntity>(PackageRows.VersionsOf(id.ToLowerInvariant())))
        {
            rows.Add(PackageRecordMapper.FromEntity(row));
        }

        return rows;
    }

    /// <summary>The id's blobs: name and size.</summary>
    public static async Task<Dictionary<string, long>> BlobsAsync(IFeedUnderTest host, string id)
    {
        var blobs = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var blob in host.Storage.Packages.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id.ToLowerInvariant() + "/", CancellationToken.None))
        {
            blobs[blob.Name] = blob.Properties.ContentLength ?? 0;
        }

        return blobs;
    }

    public static async Task<List<PackageEvent>> AuditAsync(IFeedUnderTest host, string id)
    {
        var events = new List<PackageEvent>();
        await foreach (var e in new AuditLogHandler(host.Storage).QueryAsync(id))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Moves a row's publish time back, as if it had been pushed that long ago (the host's clock is real).</summary>
    public static async Task AgeAsync(IFeedUnderTest host, string id, string version, TimeSpan by)
    {
        var row = (await host.Storage.PackagesTable.GetEntityAsync<TableEntity>(id.ToLowerInvariant(), version.ToLowerInvariant())).Value;
        var published = row.GetDateTimeOffset("Published")!.Value - by;
        await host.Storage.PackagesTable.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["Published"] = published }, row.ETag, TableUpdateMode.Merge);
    }
}
