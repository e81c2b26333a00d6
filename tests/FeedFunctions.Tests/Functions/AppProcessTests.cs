using System.Net;
using FeedFunctions.Tests.Infrastructure;

namespace FeedFunctions.Tests.Functions;

/// <summary>The app as its own process: as built (dotnet FeedFunctions.dll) and as published for Azure Functions.</summary>
public sealed class AppProcessTests
{
    private static Dictionary<string, string> Environment(AzuriteInstance azurite, string apiKey) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Feed__Storage__NamePrefix"] = "p" + Guid.NewGuid().ToString("N")[..12],
        ["Feed__ApiKey"] = apiKey,
        ["Feed__Events__LocalListener"] = "false",
    };

    [Fact]
    public async Task Built_app_starts_against_azurite_answers_get_root_and_stops_cleanly_on_sigterm()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var port = AppProcess.FreePort();
        var environment = Environment(azurite, "k");
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        await using var app = AppProcess.Start("dotnet", [AppProcess.BuiltAppDll()], environment, $"http://127.0.0.1:{port}");

        await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient();
        using var health = await client.GetAsync(app.BaseUrl + "/api/health");
        var exitCode = await app.StopAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Contains("GET / -> 200", app.Output);
    }

    [Fact]
    public async Task Published_self_contained_executable_serves_the_handler_port_and_accepts_a_push()
    {
        var azurite = await AzuriteInstance.GetAsync();
        var output = Directory.CreateTempSubdirectory("feed-publish-").FullName;
        try
        {
            var script = await RunScriptAsync(RepositoryPaths.InRoot("scripts", "publish.sh"), output);
            Assert.True(script.ExitCode == 0, script.Output);
            var executable = Path.Combine(output, "app", "FeedFunctions");
            Assert.True(File.Exists(Path.Combine(output, "app", "host.json")));
            Assert.True(File.Exists(Path.Combine(output, "app", "PushPackage", "function.json")));
            Assert.True(File.Exists(Path.Combine(output, "feed.zip")));
            Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0);

            var port = AppProcess.FreePort();
            var environment = Environment(azurite, "published-key");
            environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using var app = AppProcess.Start(executable, [], environment, $"http://127.0.0.1:{port}");
            await app.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Put, app.BaseUrl + "/api/v2/package/")
            {
                Content = new ByteArrayContent(TestPackage.Create("Contoso.Published", "1.0.0").ToBytes()),
            };
            request.Content.Headers.ContentType = new("application/octet-stream");
            request.Headers.Add("X-NuGet-ApiKey", "published-key");
            using var push = await client.SendAsync(request);
            using var download = await client.GetAsync(app.BaseUrl + "/api/v2/package/Contoso.Published/1.0.0");

            Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(0, await app.StopAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<CliResult> RunScriptAsync(string script, string publishDir)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.Environment["PUBLISH_DIR"] = publishDir;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout + await stderr);
    }
}
