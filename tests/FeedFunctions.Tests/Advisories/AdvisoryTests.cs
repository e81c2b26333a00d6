using System.Net;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using FeedFunctions.Advisories;
using FeedFunctions.Auth;
using FeedFunctions.Events;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Advisories;

/// <summary>
/// Deprecations and advisories in process: what the registration and VulnerabilityInfo documents serve, what is
/// stored (and not stored, for bad input), scopes, events and storage cost. The real client on the host:
/// <c>OnHost/HostAdvisoryTests</c>.
/// </summary>
public sealed class AdvisoryTests
{
    private const string AdvisoryUrl = "https://security.contoso.com/advisories/CVE-2026-0001";

    [Fact]
    public async Task Deprecation_is_served_in_registration_exactly_as_NuGet_documents_it_and_can_be_removed()
    {
        await using var host = await FeedAppHost.StartAsync();
        foreach (var version in new[] { "1.0.0", "1.5.0", "2.0.0" })
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Old", version));
        }

        var (status, body) = await AdvisoryHttp.DeprecateAsync(host, "Contoso.Old", "[1.0.0, 2.0.0)",
            """{"reasons":["legacy","critical-bugs"],"message":"Use the new client.","alternatePackage":{"id":"Contoso.New","range":"[2.0.0, )"}}""");

        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(["1.0.0", "1.5.0"], ReadSideHttp.Strings(JsonNode.Parse(body)!["versions"]));
        var leaf = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.old/1.5.0.json");
        var deprecation = leaf["catalogEntry"]!["deprecation"]!.AsObject();
        Assert.Equal(["Legacy", "CriticalBugs"], ReadSideHttp.Strings(deprecation["reasons"]));
        Assert.Equal("Use the new client.", deprecation["message"]!.GetValue<string>());
        Assert.Equal("Contoso.New", deprecation["alternatePackage"]!["id"]!.GetValue<string>());
        Assert.Equal("[2.0.0, )", deprecation["alternatePackage"]!["range"]!.GetValue<string>());
        var index = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.old/index.json");
        var entries = index["items"]![0]!["items"]!.AsArray().Select(l => l!["catalogEntry"]!).ToList();
        Assert.Equal([true, true, false], entries.Select(e => e["deprecation"] is not null));

        var (undeprecated, undeprecateBody) = await AdvisoryHttp.UndeprecateAsync(host, "Contoso.Old", "1.0.0");
        Assert.True(undeprecated == HttpStatusCode.OK, undeprecateBody);
        Assert.Null((await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.old/1.0.0.json"))["catalogEntry"]!["deprecation"]);
        Assert.NotNull((await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.old/1.5.0.json"))["catalogEntry"]!["deprecation"]);

        // Each change is one event per version, in the audit log with what changed; unchanged versions emit none.
        var (again, _) = await AdvisoryHttp.DeprecateAsync(host, "Contoso.Old", "1.5.0",
            """{"reasons":["Legacy","CriticalBugs"],"message":"Use the new client.","alternatePackage":{"id":"Contoso.New","range":"[2.0.0, )"}}""");
        Assert.Equal(HttpStatusCode.OK, again);
        await FeedHttp.WaitForOutboxAsync(host);
        await InProcessEvents.DrainAsync(host);
        var audit = await ToListAsync(host.Services.GetRequiredService<AuditLogHandler>().QueryAsync("Contoso.Old"));
        Assert.Equal(2, audit.Count(e => e.Type == PackageEventType.Deprecated));
        Assert.Single(audit, e => e.Type == PackageEventType.Undeprecated && e.Version == "1.0.0");
        Assert.Equal("Legacy,CriticalBugs", audit.First(e => e.Type == PackageEventType.Deprecated).Details!["reasons"]);
    }

    [Fact]
    public async Task An_advisory_is_served_by_VulnerabilityInfo_and_in_registration_leaves_until_it_is_removed()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Vuln", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Vuln", "2.0.0"));

        // Before any advisory: the resource is listed and its one page is empty.
        var serviceIndex = await ReadSideHttp.GetJsonAsync(host, "/v3/index.json");
        var resource = serviceIndex["resources"]!.AsArray().Single(r => r!["@type"]!.GetValue<string>() == "VulnerabilityInfo/6.7.0")!;
        Assert.Equal(host.BaseUrl + "/v3/vulnerabilities/index.json", resource["@id"]!.GetValue<string>());
        Assert.Equal("{}", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));

        var advisoryId = await AdvisoryHttp.AddAdvisoryOkAsync(host, "contoso.vuln", "[1.0.0, 2.0.0)", "high", AdvisoryUrl);

        var vulnerabilityIndex = JsonNode.Parse(await host.Client.GetStringAsync("/v3/vulnerabilities/index.json"))!.AsArray();
        var entry = Assert.Single(vulnerabilityIndex)!;
        Assert.Equal("base", entry["@name"]!.GetValue<string>());
        Assert.Equal(host.BaseUrl + "/v3/vulnerabilities/base.json", entry["@id"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(entry["@updated"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
        var page = JsonNode.Parse(await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"))!.AsObject();
        var advisory = Assert.Single(page["contoso.vuln"]!.AsArray())!;
        Assert.Equal(AdvisoryUrl, advisory["url"]!.GetValue<string>());
        Assert.Equal(2, advisory["severity"]!.GetValue<int>());
        Assert.Equal("[1.0.0, 2.0.0)", advisory["versions"]!.GetValue<string>());

        var vulnerable = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.vuln/1.0.0.json");
        var listed = Assert.Single(vulnerable["catalogEntry"]!["vulnerabilities"]!.AsArray())!;
        Assert.Equal(AdvisoryUrl, listed["advisoryUrl"]!.GetValue<string>());
        Assert.Equal("2", listed["severity"]!.GetValue<string>());
        Assert.Null((await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.vuln/2.0.0.json"))["catalogEntry"]!["vulnerabilities"]);
        var registrationIndex = await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.vuln/index.json");
        Assert.NotNull(registrationIndex["items"]![0]!["items"]![0]!["catalogEntry"]!["vulnerabilities"]);

        // The same advisory again is a no-op (a retried call); listing shows it once.
        var (repeat, _) = await AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.Vuln", "[1.0.0, 2.0.0)", 2, AdvisoryUrl);
        Assert.Equal(HttpStatusCode.OK, repeat);
        var (listStatus, list) = await AdvisoryHttp.SendAsync(host, HttpMethod.Get, "/api/v2/advisories?id=Contoso.Vuln", host.ApiKey);
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Equal(advisoryId, Assert.Single(JsonNode.Parse(list)!.AsArray())!["advisoryId"]!.GetValue<string>());

        var (removed, _) = await AdvisoryHttp.RemoveAdvisoryAsync(host, advisoryId);
        Assert.Equal(HttpStatusCode.NoContent, removed);
        Assert.Equal("{}", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));
        Assert.Null((await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.vuln/1.0.0.json"))["catalogEntry"]!["vulnerabilities"]);
        Assert.Equal(HttpStatusCode.NotFound, (await AdvisoryHttp.RemoveAdvisoryAsync(host, advisoryId)).Status);

        await FeedHttp.WaitForOutboxAsync(host);
        await InProcessEvents.DrainAsync(host);
        var audit = await ToListAsync(host.Services.GetRequiredService<AuditLogHandler>().QueryAsync("Contoso.Vuln"));
        Assert.Single(audit, e => e.Type == PackageEventType.AdvisoryAdded && e.Details!["url"] == AdvisoryUrl && e.Version == "[1.0.0, 2.0.0)");
        Assert.Single(audit, e => e.Type == PackageEventType.AdvisoryRemoved && e.Details!["advisoryId"] == advisoryId);
    }

    [Theory]
    [InlineData("Contoso.Missing", "[1.0.0, 2.0.0)", "high", AdvisoryUrl, HttpStatusCode.NotFound)]
    [InlineData("Contoso.Bad", "[2.0.0, 1.0.0", "high", AdvisoryUrl, HttpStatusCode.BadRequest)]
    [InlineData("Contoso.Bad", "not a range", "high", AdvisoryUrl, HttpStatusCode.BadRequest)]
    [InlineData("Contoso.Bad", "[1.0.0, 2.0.0)", "7", AdvisoryUrl, HttpStatusCode.BadRequest)]
    [InlineData("Contoso.Bad", "[1.0.0, 2.0.0)", "severe", AdvisoryUrl, HttpStatusCode.BadRequest)]
    [InlineData("Contoso.Bad", "[1.0.0, 2.0.0)", "high", "http://security.contoso.com/a", HttpStatusCode.BadRequest)]
    [InlineData("Contoso.Bad", "[1.0.0, 2.0.0)", "high", "javascript:alert(1)", HttpStatusCode.BadRequest)]
    [InlineData("Bad Id!", "[1.0.0, 2.0.0)", "high", AdvisoryUrl, HttpStatusCode.BadRequest)]
    public async Task Bad_advisories_get_a_clear_4xx_and_store_nothing(string id, string versions, string severity, string url, HttpStatusCode expected)
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Bad", "1.0.0"));
        await FeedHttp.WaitForOutboxAsync(host);

        var (status, body) = await AdvisoryHttp.AddAdvisoryAsync(host, id, versions, severity, url);

        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrWhiteSpace(body));
        Assert.DoesNotContain(await FeedHttp.AllRowsAsync(host), r => r.RowKey.StartsWith('~') || r.PartitionKey.StartsWith('~'));
        Assert.DoesNotContain(AdvisorySnapshot.BlobName, await FeedHttp.AllBlobsAsync(host));
    }

    [Fact]
    public async Task Bad_deprecations_get_a_clear_4xx_and_store_nothing()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Dep", "1.0.0"));
        var tooLong = new string('x', PackageDeprecation.MaxMessageLength + 1);
        var cases = new (string Id, string Versions, string Json, HttpStatusCode Expected)[]
        {
            ("Contoso.Nope", "1.0.0", """{"reasons":["legacy"]}""", HttpStatusCode.NotFound),
            ("Contoso.Dep", "3.0.0", """{"reasons":["legacy"]}""", HttpStatusCode.NotFound),
            ("Contoso.Dep", "[1.0.0, ", """{"reasons":["legacy"]}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", """{"reasons":["obsolete"]}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", """{"reasons":[]}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", $$"""{"reasons":["other"],"message":"{{tooLong}}"}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", """{"reasons":["legacy"],"alternatePackage":{"id":"Contoso.New","range":"[x"}}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", """{"reasons":["legacy"],"alternatePackage":{"id":"bad id"}}""", HttpStatusCode.BadRequest),
            ("Contoso.Dep", "1.0.0", "not json", HttpStatusCode.BadRequest),
        };

        foreach (var (id, versions, json, expected) in cases)
        {
            var (status, body) = await AdvisoryHttp.DeprecateAsync(host, id, versions, json);
            Assert.True(status == expected, $"{id} {versions} {json[..Math.Min(json.Length, 60)]}: {(int)status} {body}");
            Assert.False(string.IsNullOrWhiteSpace(body));
        }

        Assert.Null((await FeedHttp.FindAsync(host, "Contoso.Dep", "1.0.0"))!.Deprecation);
        Assert.DoesNotContain(await FeedHttp.AllRowsAsync(host), r => r.RowKey.StartsWith(PackageEventOutbox.RowKeyPrefix, StringComparison.Ordinal) && r.GetString("Payload")!.Contains("deprecated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Managing_needs_the_manage_scope_and_the_keys_package_globs()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Scoped", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Fabrikam.Other", "1.0.0"));
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        var (_, pushOnly) = await store.CreateAsync("push-only", ApiKeyScopes.All, [], null);
        var (_, manager) = await store.CreateAsync("manager", ApiKeyScopes.Manage, ["Contoso.*"], null);
        const string Legacy = """{"reasons":["legacy"]}""";

        Assert.Equal(HttpStatusCode.Unauthorized, (await AdvisoryHttp.SendAsync(host, HttpMethod.Put, "/api/v2/package/Contoso.Scoped/1.0.0/deprecation", null, Legacy)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdvisoryHttp.DeprecateAsync(host, "Contoso.Scoped", "1.0.0", Legacy, pushOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.Scoped", "[1.0.0]", "low", AdvisoryUrl, pushOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdvisoryHttp.DeprecateAsync(host, "Fabrikam.Other", "1.0.0", Legacy, manager)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await AdvisoryHttp.AddAdvisoryAsync(host, "Fabrikam.Other", "[1.0.0]", "low", AdvisoryUrl, manager)).Status);
        Assert.Equal(HttpStatusCode.OK, (await AdvisoryHttp.DeprecateAsync(host, "Contoso.Scoped", "1.0.0", Legacy, manager)).Status);
        Assert.Equal(HttpStatusCode.Created, (await AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.Scoped", "[1.0.0]", "low", AdvisoryUrl, manager)).Status);
        Assert.Null((await FeedHttp.FindAsync(host, "Fabrikam.Other", "1.0.0"))!.Deprecation);
    }

    [Fact]
    public async Task VulnerabilityInfo_costs_one_blob_read_per_request_and_no_table_read()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));
        for (var i = 0; i < 3; i++)
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create($"Contoso.Cost{i}", "1.0.0"));
            await AdvisoryHttp.AddAdvisoryOkAsync(host, $"Contoso.Cost{i}", "[1.0.0]", "moderate", $"{AdvisoryUrl}-{i}");
        }

        await FeedHttp.WaitForOutboxAsync(host);
        foreach (var path in new[] { "/v3/vulnerabilities/index.json", "/v3/vulnerabilities/base.json" })
        {
            recording.Requests.Clear();
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
            Assert.NotNull(response.Headers.ETag);
            var request = Assert.Single(recording.Requests);
            Assert.Contains(Uri.EscapeDataString(AdvisorySnapshot.BlobName).Replace("%2F", "/", StringComparison.Ordinal), request, StringComparison.Ordinal);

            // Revalidation: a matching If-None-Match gets 304 without the body.
            using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
            conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await host.Client.SendAsync(conditional);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        Assert.Equal(3, JsonNode.Parse(await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"))!.AsObject().Count);
    }

    [Fact]
    public async Task A_snapshot_left_stale_by_a_dead_writer_is_rebuilt_by_the_advisory_event()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.Crash", "1.0.0"));
        await AdvisoryHttp.AddAdvisoryOkAsync(host, "Contoso.Crash", "[1.0.0]", "critical", AdvisoryUrl);
        await FeedHttp.WaitForOutboxAsync(host);

        // As if the writer had died after its commit and before rewriting the snapshot.
        await host.Storage.Packages.GetBlobClient(AdvisorySnapshot.BlobName).DeleteAsync();
        Assert.Equal("{}", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));
        await InProcessEvents.DrainAsync(host);

        var page = JsonNode.Parse(await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"))!.AsObject();
        Assert.Equal(3, page["contoso.crash"]![0]!["severity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_advisory_changes_leave_a_snapshot_with_every_one_of_them()
    {
        await using var host = await FeedAppHost.StartAsync();
        const int Count = 8;
        for (var i = 0; i < Count; i++)
        {
            await ReadSideHttp.PushAsync(host, TestPackage.Create($"Contoso.Race{i}", "1.0.0"));
        }

        // Every add commits, then rewrites the snapshot from what it reads; the ETag check makes a rewrite that read
        // older rows start over instead of overwriting a newer one.
        var adds = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => AdvisoryHttp.AddAdvisoryAsync(host, $"Contoso.Race{i}", "[1.0.0]", i % 4, $"{AdvisoryUrl}-{i}")));

        Assert.All(adds, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        var page = JsonNode.Parse(await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"))!.AsObject();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"contoso.race{i}"), page.Select(p => p.Key).Order());
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
