using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FeedFunctions.Events;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Operations;

/// <summary>
/// The app as a new user runs it: only <c>AzureWebJobsStorage</c> set. Every function is indexed (no function
/// depends on a setting without default), the outbox sweep runs on its built-in schedule, and a function the host
/// cannot index makes <c>/api/health</c> answer 503 with the function's name.
/// </summary>
public sealed class DefaultsOnHostTests
{
    private static readonly string[] TimerAndQueueFunctions = [nameof(EventFunctions.SweepOutbox), nameof(EventFunctions.ProcessPackageEvent), "PruneTrustedPublishing"];

    [HostFact]
    public async Task With_only_AzureWebJobsStorage_every_function_is_indexed_and_the_sweep_delivers_a_pending_event()
    {
        // SweepAge is the documented way to make the sweep take younger rows; the schedule stays the built-in one.
        await using var host = await FunctionsHost.StartAsync(onlyStorage: true);
        var pending = PackageEvent.Create(PackageEventType.Uploaded, "Contoso.Bare.Sweep", "1.0.0", 10, null, null, DateTimeOffset.UtcNow.AddMinutes(-10));
        var partition = "contoso.bare.sweep";
        await host.Storage.PackagesTable.AddEntityAsync(new TableEntity(partition, PackageEventOutbox.RowKeyPrefix + pending.EventId)
        {
            ["Payload"] = PackageEventJson.Serialize(pending),
            ["CreatedAt"] = DateTimeOffset.UtcNow.AddMinutes(-10),
        });

        using var health = await host.Client.GetAsync("/api/health");
        var functions = FunctionsMetadata();

        // The built-in schedule is every minute: the sweep runs within about a minute of the row being written.
        var audit = await Poll.UntilAsync(() => AuditAsync(host, "Contoso.Bare.Sweep"), a => a.Count >= 1, TimeSpan.FromSeconds(150), "the sweep to deliver the pending event");
        var row = await host.Storage.PackagesTable.GetEntityIfExistsAsync<TableEntity>(partition, PackageEventOutbox.RowKeyPrefix + pending.EventId);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(pending.EventId, Assert.Single(audit).EventId);
        Assert.False(row.HasValue, "the pending row is deleted once sent");
        var output = host.Output;
        Assert.DoesNotContain("Error indexing method", output, StringComparison.Ordinal);
        Assert.DoesNotContain("will be disabled", output, StringComparison.Ordinal);
        Assert.DoesNotContain("does not resolve to a value", output, StringComparison.Ordinal);
        Assert.All(TimerAndQueueFunctions, name => Assert.Contains(name, functions));
        Assert.Equal(functions.Count, await IndexedFunctionCountAsync(host));
    }

    [HostFact]
    public async Task A_function_the_host_cannot_index_makes_health_answer_503_naming_it()
    {
        // The build output with one binding naming a setting nobody set: what a %setting% in an attribute does. The
        // worker hands the host the metadata compiled into it (worker indexing); with that off, the host indexes
        // functions.metadata, which a test can change.
        var folder = CopyOfAppFolder();
        try
        {
            var workerConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")))!;
            workerConfig["description"]!["workerIndexing"] = "false";
            File.WriteAllText(Path.Combine(folder, "worker.config.json"), workerConfig.ToJsonString());
            var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "functions.metadata")))!.AsArray();
            var sweep = metadata.Single(f => (string?)f!["name"] == nameof(EventFunctions.SweepOutbox))!;
            sweep["bindings"]![0]!["schedule"] = "%Feed:Events:NoSuchSchedule%";
            File.WriteAllText(Path.Combine(folder, "functions.metadata"), metadata.ToJsonString());

            await using var host = await FunctionsHost.StartAsync(appFolder: folder, waitUntilHealthy: false);
            var (status, body) = await Poll.UntilAsync(
                () => HealthAsync(host),
                answer => answer.Body.Contains(nameof(EventFunctions.SweepOutbox), StringComparison.Ordinal) || host.HasExited,
                TimeSpan.FromSeconds(120),
                "/api/health to name the disabled function");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
            var problem = Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray()).GetString()!;
            Assert.StartsWith("SweepOutbox: app setting 'Feed:Events:NoSuchSchedule' is not set", problem, StringComparison.Ordinal);
            Assert.Contains("Error indexing method 'Functions.SweepOutbox'", host.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> HealthAsync(FunctionsHost host)
    {
        try
        {
            using var response = await host.Client.GetAsync("/api/health");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (HttpStatusCode.ServiceUnavailable, string.Empty);
        }
    }

    private static List<string> FunctionsMetadata() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsHost.AppFolder(), "functions.metadata")))!.AsArray()
            .Select(f => (string)f!["name"]!).ToList();

    /// <summary>The host logs "Generating N job function(s)" once it has indexed them: N counts only the indexed ones.</summary>
    private static async Task<int> IndexedFunctionCountAsync(FunctionsHost host)
    {
        var line = await Poll.UntilAsync(
            () => Task.FromResult(host.Output.Split('\n').FirstOrDefault(l => l.Contains("job function(s)", StringComparison.Ordinal))),
            l => l is not null,
            TimeSpan.FromSeconds(30),
            "the host's indexing line");
        var words = line!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return int.Parse(words[Array.IndexOf(words, "Generating") + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<PackageEvent>> AuditAsync(FunctionsHost host, string id)
    {
        var events = new List<PackageEvent>();
        await foreach (var e in new AuditLogHandler(host.Storage).QueryAsync(id))
        {
            events.Add(e);
        }

        return events;
    }

    private static string CopyOfAppFolder()
    {
        var source = FunctionsHost.AppFolder();
        var target = Directory.CreateTempSubdirectory("feed-app-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return target;
    }
}
