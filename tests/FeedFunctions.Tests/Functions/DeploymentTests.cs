using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Functions;

/// <summary>
/// What gets deployed: the Bicep compiles (with the real Bicep CLI) into a Flex Consumption app running the isolated
/// worker with the settings the feed needs, and the zip scripts/publish.sh makes is served by the Functions host.
/// </summary>
public sealed class DeploymentTests
{
    private static string BicepCli() =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_bicep_compiles_to_a_dotnet_isolated_flex_consumption_app_with_identity_based_storage()
    {
        var bicep = BicepCli();
        Assert.True(File.Exists(bicep), $"{bicep} is missing: the test project downloads Azure.Bicep.CommandLine.linux-x64 on restore");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet extracts files without their mode bits.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        var (exitCode, output) = await RunAsync(bicep, "build", "infra/bicep/main.bicep", "--stdout");
        var (lintCode, lint) = await RunAsync(bicep, "lint", "infra/bicep/main.bicep");

        Assert.True(exitCode == 0, output);
        Assert.True(lintCode == 0 && lint.Trim().Length == 0, lint);
        // App settings are built with ARM expressions (createObject('name', ...)), so names are matched as words.
        var text = output[output.IndexOf('{')..];
        Assert.Matches("\"name\":\\s*\"dotnet-isolated\"", text);
        Assert.Equal("10.0", FindParameterDefault(text, "dotnetVersion"));
        foreach (var setting in new[]
                 {
                     "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
                     "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT",
                     "Feed__Events__SweepSchedule", "Feed__MaxPackageSizeBytes",
                 })
        {
            Assert.Matches($"[\"']{setting}[\"']", text);
        }

        Assert.DoesNotMatch("[\"']FUNCTIONS_WORKER_RUNTIME[\"']", text);
        Assert.DoesNotMatch("[\"']WEBSITE_RUN_FROM_PACKAGE[\"']", text);
    }

    [HostFact]
    public async Task The_published_zip_is_served_by_the_host_and_takes_a_push()
    {
        var output = Directory.CreateTempSubdirectory("feed-publish-");
        try
        {
            var publish = await RunWithEnvironmentAsync(output.FullName);
            Assert.True(publish.ExitCode == 0, publish.Output);
            var app = Path.Combine(output.FullName, "unzipped");
            ZipFile.ExtractToDirectory(Path.Combine(output.FullName, "feed.zip"), app);

            await using var host = await FunctionsHost.StartAsync(appFolder: app);
            using var push = await FeedHttp.PushAsync(host, TestPackage.Create("Contoso.Published", "1.0.0").ToBytes());

            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            Assert.NotNull(await FeedHttp.FindAsync(host, "Contoso.Published", "1.0.0"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunWithEnvironmentAsync(string publishDir)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        start.ArgumentList.Add("scripts/publish.sh");
        start.Environment["PUBLISH_DIR"] = publishDir;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindParameterDefault(string templateJson, string name)
    {
        var template = JsonNode.Parse(templateJson)!;
        foreach (var node in Descendants(template))
        {
            if (node is JsonObject obj && obj["parameters"] is JsonObject parameters && parameters[name] is JsonObject parameter && parameter["defaultValue"] is { } value)
            {
                return value.GetValue<string>();
            }
        }

        return null;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }
}
