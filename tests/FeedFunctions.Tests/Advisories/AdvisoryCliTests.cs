using FeedAdmin;
using FeedFunctions.Advisories;
using FeedFunctions.Tests.Feed;
using FeedFunctions.Tests.Infrastructure;
using FeedFunctions.Tests.Pages;
using Microsoft.Extensions.Configuration;

namespace FeedFunctions.Tests.Advisories;

/// <summary>
/// <c>FeedAdmin deprecate|undeprecate|advisories</c> against a running feed's storage, what the feed then serves
/// (registration, VulnerabilityInfo, the package page), and the CLI's errors for bad input, with nothing stored.
/// </summary>
public sealed class AdvisoryCliTests
{
    private const string AdvisoryUrl = "https://security.contoso.com/advisories/CLI-1";

    [Fact]
    public async Task The_cli_deprecates_and_adds_advisories_that_the_feed_and_its_package_page_show()
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.CliPkg", "1.0.0"));
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.CliPkg", "2.0.0"));
        var configuration = Configuration(host);

        var (deprecate, deprecateOutput) = await RunAsync(configuration,
            "deprecate", "Contoso.CliPkg", "[1.0.0, 2.0.0)", "--reason", "critical-bugs", "--reason", "other", "--message", "Data loss on save.", "--alternate", "Contoso.CliPkg@[2.0.0, )");
        var (add, addOutput) = await RunAsync(configuration,
            "advisories", "add", "--id", "Contoso.CliPkg", "--versions", "(, 2.0.0)", "--severity", "critical", "--url", AdvisoryUrl);
        var (list, listOutput) = await RunAsync(configuration, "advisories", "list");

        Assert.True(deprecate == 0, deprecateOutput);
        Assert.True(add == 0, addOutput);
        Assert.True(list == 0, listOutput);
        Assert.Contains("Contoso.CliPkg (, 2.0.0)  critical  " + AdvisoryUrl, listOutput);
        var entry = (await ReadSideHttp.GetJsonAsync(host, "/v3/registration/contoso.clipkg/1.0.0.json"))["catalogEntry"]!;
        Assert.Equal(["CriticalBugs", "Other"], ReadSideHttp.Strings(entry["deprecation"]!["reasons"]));
        Assert.Equal("3", entry["vulnerabilities"]![0]!["severity"]!.GetValue<string>());
        Assert.Contains("contoso.clipkg", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));

        var page = await PageHttp.GetPageAsync(host, "/packages/Contoso.CliPkg/1.0.0");
        Assert.Contains("This version is deprecated (CriticalBugs, Other). Data loss on save. Use <a href=\"/packages/Contoso.CliPkg\">Contoso.CliPkg</a> [2.0.0, ) instead.", page);
        Assert.Contains($"known critical severity vulnerability (versions (, 2.0.0)): <a href=\"{AdvisoryUrl}\" rel=\"noopener noreferrer\">{AdvisoryUrl}</a>", page);
        Assert.Contains("<span class=\"badge deprecated\">deprecated</span>", page);
        Assert.Contains("<span class=\"badge vulnerable\">vulnerable</span>", page);
        var current = await PageHttp.GetPageAsync(host, "/packages/Contoso.CliPkg/2.0.0");
        Assert.DoesNotContain("notice deprecation", current);
        Assert.DoesNotContain("notice vulnerability", current);

        var advisoryId = listOutput.Trim().Split(' ')[0];
        var (remove, removeOutput) = await RunAsync(configuration, "advisories", "remove", advisoryId);
        var (undeprecate, undeprecateOutput) = await RunAsync(configuration, "undeprecate", "Contoso.CliPkg", "1.0.0");
        Assert.True(remove == 0, removeOutput);
        Assert.True(undeprecate == 0, undeprecateOutput);
        Assert.Equal("{}", await host.Client.GetStringAsync("/v3/vulnerabilities/base.json"));
        Assert.Null((await FeedHttp.FindAsync(host, "Contoso.CliPkg", "1.0.0"))!.Deprecation);
        Assert.DoesNotContain("notice", await PageHttp.GetPageAsync(host, "/packages/Contoso.CliPkg/1.0.0"));
    }

    [Theory]
    [InlineData(1, "advisories", "add", "--id", "Contoso.Unknown", "--versions", "[1.0.0]", "--severity", "high", "--url", AdvisoryUrl)]
    [InlineData(2, "advisories", "add", "--id", "Contoso.CliBad", "--versions", "[1.0.0", "--severity", "high", "--url", AdvisoryUrl)]
    [InlineData(2, "advisories", "add", "--id", "Contoso.CliBad", "--versions", "[1.0.0]", "--severity", "4", "--url", AdvisoryUrl)]
    [InlineData(2, "advisories", "add", "--id", "Contoso.CliBad", "--versions", "[1.0.0]", "--severity", "high", "--url", "http://security.contoso.com/1")]
    [InlineData(1, "deprecate", "Contoso.Unknown", "1.0.0", "--reason", "legacy")]
    [InlineData(1, "deprecate", "Contoso.CliBad", "9.0.0", "--reason", "legacy")]
    [InlineData(2, "deprecate", "Contoso.CliBad", "[1.0.0,", "--reason", "legacy")]
    [InlineData(2, "deprecate", "Contoso.CliBad", "1.0.0", "--reason", "retired")]
    [InlineData(2, "deprecate", "Contoso.CliBad", "1.0.0", "--reason", "legacy", "--alternate", "Contoso.New@[oops")]
    [InlineData(2, "deprecate", "Contoso.CliBad", "1.0.0", "--reason", "legacy", "--message", "@oversized")]
    public async Task Bad_input_is_a_cli_error_and_stores_nothing(int exitCode, params string[] args)
    {
        await using var host = await FeedAppHost.StartAsync();
        await ReadSideHttp.PushAsync(host, TestPackage.Create("Contoso.CliBad", "1.0.0"));
        await FeedHttp.WaitForOutboxAsync(host);
        args = args.Select(a => a == "@oversized" ? new string('m', PackageDeprecation.MaxMessageLength + 1) : a).ToArray();

        var (code, output) = await RunAsync(Configuration(host), args);

        Assert.True(code == exitCode, output);
        Assert.StartsWith("error: ", output.Trim());
        Assert.DoesNotContain(await FeedHttp.AllRowsAsync(host), r => r.RowKey.StartsWith('~') || r.PartitionKey.StartsWith('~'));
        Assert.Null((await FeedHttp.FindAsync(host, "Contoso.CliBad", "1.0.0"))!.Deprecation);
        Assert.DoesNotContain(AdvisorySnapshot.BlobName, await FeedHttp.AllBlobsAsync(host));
    }

    private static IConfiguration Configuration(FeedAppHost host) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = host.Azurite.ConnectionString,
        ["Feed:Storage:NamePrefix"] = host.NamePrefix,
    }).Build();

    private static async Task<(int ExitCode, string Output)> RunAsync(IConfiguration configuration, params string[] args)
    {
        var output = new StringWriter();
        var code = await AdminCommand.RunAsync(args, output, configuration);
        return (code, output.ToString());
    }
}
