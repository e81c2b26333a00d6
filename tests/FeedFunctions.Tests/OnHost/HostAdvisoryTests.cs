using System.Net;
using FeedAdmin;
using FeedFunctions.Tests.Advisories;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace FeedFunctions.Tests.OnHost;

/// <summary>
/// The SDK's own client through the Functions host: restore's audit (NU1901-NU1904) reads VulnerabilityInfo from the
/// feed, <c>dotnet list package --vulnerable/--deprecated</c> read it and the registration leaves. The advisory goes in
/// through the HTTP API (as a pipeline would), the deprecation through FeedAdmin (as an operator would).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HostAdvisoryTests(SharedHost shared)
{
    private const string AdvisoryUrl = "https://security.contoso.com/advisories/HOST-2026-0001";

    [HostFact]
    public async Task Restore_and_list_package_show_advisories_and_deprecations_until_they_are_removed()
    {
        var host = shared.Host;
        foreach (var package in new[]
                 {
                     TestPackage.Create("Contoso.HostVuln", "1.0.0"), TestPackage.Create("Contoso.HostVuln", "2.0.0"),
                     TestPackage.Create("Contoso.HostOld", "1.0.0"), TestPackage.Create("Contoso.HostNew", "2.0.0"),
                 })
        {
            await ReadSideHttp.PushAsync(host, package);
        }

        var advisoryId = await AdvisoryHttp.AddAdvisoryOkAsync(host, "Contoso.HostVuln", "[1.0.0, 2.0.0)", "high", AdvisoryUrl);
        var admin = AdminConfiguration(host);
        var cliOutput = new StringWriter();
        Assert.True(0 == await AdminCommand.RunAsync(
            ["deprecate", "Contoso.HostOld", "1.0.0", "--reason", "legacy", "--message", "Replaced by Contoso.HostNew.", "--alternate", "Contoso.HostNew@[2.0.0, )"],
            cliOutput, admin), cliOutput.ToString());

        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var project = AuditedProject(cli,
            """<PackageReference Include="Contoso.HostVuln" Version="1.0.0" /><PackageReference Include="Contoso.HostOld" Version="1.0.0" />""");

        var restore = await project.RunAsync("restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("NU1903", restore.Output);
        Assert.Contains("Contoso.HostVuln", restore.Output);
        Assert.Contains(AdvisoryUrl, restore.Output);

        var vulnerable = await project.RunAsync("list", "package", "--vulnerable");
        Assert.True(vulnerable.ExitCode == 0, vulnerable.ToString());
        var vulnerableRow = Assert.Single(PackageRows(vulnerable.Output));
        Assert.Contains("Contoso.HostVuln", vulnerableRow);
        Assert.Contains("High", vulnerableRow);
        Assert.Contains(AdvisoryUrl, vulnerable.Output);

        var deprecated = await project.RunAsync("list", "package", "--deprecated");
        Assert.True(deprecated.ExitCode == 0, deprecated.ToString());
        var deprecatedRow = Assert.Single(PackageRows(deprecated.Output));
        Assert.Contains("Contoso.HostOld", deprecatedRow);
        Assert.Contains("Legacy", deprecatedRow);
        Assert.Contains("Contoso.HostNew", deprecatedRow);

        // As with nuget.org: a high advisory is below an audit level of critical.
        var critical = await project.RunAsync("restore", "--force", "-p:NuGetAuditLevel=critical");
        Assert.True(critical.ExitCode == 0, critical.ToString());
        Assert.DoesNotContain("NU1903", critical.Output);

        // Removed: the feed serves the change at once; a client sees it once its HTTP cache (30 minutes) no longer
        // holds the old data, here a fresh cache.
        Assert.Equal(HttpStatusCode.NoContent, (await AdvisoryHttp.RemoveAdvisoryAsync(host, advisoryId)).Status);
        Assert.True(0 == await AdminCommand.RunAsync(["undeprecate", "Contoso.HostOld", "1.0.0"], cliOutput, admin), cliOutput.ToString());
        cli.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(cli.Directory, "http-cache-after-removal");

        var clean = await project.RunAsync("restore", "--force");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.DoesNotContain("NU1903", clean.Output);
        var noLongerVulnerable = await project.RunAsync("list", "package", "--vulnerable");
        Assert.True(noLongerVulnerable.ExitCode == 0, noLongerVulnerable.ToString());
        Assert.Empty(PackageRows(noLongerVulnerable.Output));
        Assert.DoesNotContain("NU1903", noLongerVulnerable.Output);
        var noLongerDeprecated = await project.RunAsync("list", "package", "--deprecated");
        Assert.True(noLongerDeprecated.ExitCode == 0, noLongerDeprecated.ToString());
        Assert.Empty(PackageRows(noLongerDeprecated.Output));
    }

    [HostFact]
    public async Task Bad_advisories_and_deprecations_get_a_clear_4xx_on_the_host_and_store_nothing()
    {
        var host = shared.Host;
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.HostBad", "1.0.0"));
        var tooLong = new string('m', FeedFunctions.Advisories.PackageDeprecation.MaxMessageLength + 1);
        var attempts = new (Func<Task<(HttpStatusCode Status, string Body)>> Send, HttpStatusCode Expected, string Reason)[]
        {
            (() => AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.HostUnknown", "[1.0.0]", "high", AdvisoryUrl), HttpStatusCode.NotFound, "is not on this feed"),
            (() => AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.HostBad", "[1.0.0", "high", AdvisoryUrl), HttpStatusCode.BadRequest, "not a valid NuGet version range"),
            (() => AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.HostBad", "[1.0.0]", 4, AdvisoryUrl), HttpStatusCode.BadRequest, "Severity '4'"),
            (() => AdvisoryHttp.AddAdvisoryAsync(host, "Contoso.HostBad", "[1.0.0]", "high", "http://security.contoso.com/x"), HttpStatusCode.BadRequest, "absolute https URL"),
            (() => AdvisoryHttp.DeprecateAsync(host, "Contoso.HostUnknown", "1.0.0", """{"reasons":["legacy"]}"""), HttpStatusCode.NotFound, "has no version matching"),
            (() => AdvisoryHttp.DeprecateAsync(host, "Contoso.HostBad", "[1.0.0,", """{"reasons":["legacy"]}"""), HttpStatusCode.BadRequest, "not a valid NuGet version range"),
            (() => AdvisoryHttp.DeprecateAsync(host, "Contoso.HostBad", "1.0.0", $$"""{"reasons":["legacy"],"message":"{{tooLong}}"}"""), HttpStatusCode.BadRequest, "at most 1000"),
            (() => AdvisoryHttp.DeprecateAsync(host, "Contoso.HostBad", "1.0.0", """{"reasons":["legacy"]}""", "not-a-key"), HttpStatusCode.Forbidden, "invalid"),
        };

        foreach (var (send, expected, reason) in attempts)
        {
            var (status, body) = await send();
            Assert.True(status == expected, $"{(int)status} {body}");
            Assert.Contains(reason, body);
        }

        var rows = await FeedHttp.AllRowsAsync(host);
        Assert.DoesNotContain(rows, r => r.PartitionKey is "contoso.hostbad" or "contoso.hostunknown" && r.RowKey.StartsWith('~'));
        Assert.DoesNotContain(rows, r => r.RowKey is "~id~contoso.hostbad" or "~id~contoso.hostunknown");
        Assert.Null((await FeedHttp.FindAsync(host, "Contoso.HostBad", "1.0.0"))!.Deprecation);
        Assert.DoesNotContain("contoso.hostbad", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));
    }

    /// <summary>The package rows of <c>dotnet list package</c>'s table ("   > Id  Requested  Resolved ..."), not its restore's warnings.</summary>
    private static List<string> PackageRows(string output) =>
        output.Split('\n').Select(line => line.Trim()).Where(line => line.StartsWith("> ", StringComparison.Ordinal)).ToList();

    /// <summary>FeedAdmin against the host's own storage (no name prefix on the host).</summary>
    private static IConfiguration AdminConfiguration(FunctionsHost host) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = host.Azurite.ConnectionString }).Build();

    /// <summary>A project with NuGet audit on (the SDK's defaults otherwise); its only source is the feed.</summary>
    private static ClientProject AuditedProject(NuGetCli cli, string references)
    {
        var project = ClientProject.Create(cli, references);
        File.WriteAllText(project.ProjectFile, project.ReadProjectFile().Replace("<NuGetAudit>false</NuGetAudit>", "<NuGetAudit>true</NuGetAudit>", StringComparison.Ordinal));
        return project;
    }
}
