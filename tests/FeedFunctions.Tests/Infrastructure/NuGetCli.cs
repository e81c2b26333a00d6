using System.Diagnostics;
using System.Text;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Runs the SDK's own NuGet client (<c>dotnet nuget ...</c>, <c>dotnet restore</c>, ...) in a temp folder whose
/// nuget.config names the feed with allowInsecureConnections (NuGet 6.12+ refuses plain-http pushes otherwise).
/// </summary>
public sealed class NuGetCli : IDisposable
{
    public const string SourceName = "testfeed";

    public NuGetCli(string sourceUrl, string? extraConfig = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("feed-nuget-").FullName;
        SourceUrl = sourceUrl;
        File.WriteAllText(Path.Combine(Directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="{SourceName}" value="{sourceUrl}" allowInsecureConnections="true" />
              </packageSources>
              {extraConfig}
            </configuration>
            """);
    }

    public string Directory { get; }

    public string SourceUrl { get; }

    /// <summary>Extra environment variables for every command, e.g. NuGet's retry settings.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Task<CliResult> PushAsync(string packagePath, string? apiKey, params string[] extra) =>
        RunAsync(["nuget", "push", packagePath, "--source", SourceName, .. apiKey is null ? Array.Empty<string>() : ["--api-key", apiKey], .. extra]);

    public Task<CliResult> DeleteAsync(string id, string version, string? apiKey) =>
        RunAsync(["nuget", "delete", id, version, "--source", SourceName, "--non-interactive", .. apiKey is null ? Array.Empty<string>() : ["--api-key", apiKey]]);

    public async Task<CliResult> RunAsync(IReadOnlyList<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["NUGET_PACKAGES"] = Path.Combine(Directory, "packages");
        start.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(Directory, "http-cache");
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in time.\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout + await stderr);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record CliResult(int ExitCode, string Output)
{
    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode).Append(":\n").Append(Output).ToString();
}
