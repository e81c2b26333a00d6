using System.Diagnostics;
using System.Net;
using System.Text;

namespace FeedBench;

/// <summary>
/// (4) <c>dotnet restore</c> of a project that depends on 20 packages, from our feed's V3 endpoint vs. from a
/// local folder holding the very same .nupkg files; a fresh packages folder and HTTP cache every run.
/// </summary>
internal static class RestoreBenchmark
{
    private const int PackageCount = 20;

    public static async Task RunAsync(BenchContext context, FeedClient feed, CancellationToken cancellationToken)
    {
        var status = await feed.GetStatusAsync("/v3/index.json", cancellationToken);
        if (status == HttpStatusCode.NotFound)
        {
            context.Results.Add(new ResultRow("4 restore", "20 packages", "n/a (read side not present)", "-", "n/a", "-"));
            return;
        }

        if (status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /v3/index.json answered {(int)status}.");
        }

        var root = Directory.CreateTempSubdirectory("feedbench-restore-").FullName;
        try
        {
            var folderSource = Directory.CreateDirectory(Path.Combine(root, "folder-source")).FullName;
            var project = Directory.CreateDirectory(Path.Combine(root, "project")).FullName;
            var references = new StringBuilder();
            for (var i = 1; i <= PackageCount; i++)
            {
                var id = $"Bench.Restore.{context.RunTag}.P{i:D2}";
                var package = context.Packages.Build(id, "1.0.0", 8 * 1024, "lib/netstandard2.0/_._");
                await feed.PushAsync(package, cancellationToken);
                await File.WriteAllBytesAsync(Path.Combine(folderSource, $"{id.ToLowerInvariant()}.1.0.0.nupkg"), package.AsMemory(), cancellationToken);
                references.AppendLine($"    <PackageReference Include=\"{id}\" Version=\"1.0.0\" />");
            }

            await File.WriteAllTextAsync(Path.Combine(project, "Restore.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <NuGetAudit>false</NuGetAudit>
                  </PropertyGroup>
                  <ItemGroup>
                {references}  </ItemGroup>
                </Project>
                """, cancellationToken);

            var feedSource = $"""<add key="feed" value="{feed.BaseUrl}/v3/index.json" protocolVersion="3" allowInsecureConnections="true" />""";
            var localSource = $"""<add key="folder" value="{folderSource}" />""";
            var iterations = context.Smoke ? 1 : 3;
            var ours = new List<double>();
            var floor = new List<double>();

            // Unrecorded first restore: warms the SDK's own files in the page cache for both sides.
            await RestoreAsync(project, localSource, cancellationToken);
            for (var i = 0; i < iterations; i++)
            {
                ours.Add(await RestoreAsync(project, feedSource, cancellationToken));
                floor.Add(await RestoreAsync(project, localSource, cancellationToken));
            }

            context.Results.Add(new ResultRow(
                "4 restore",
                $"20 packages, median (n={iterations})",
                ResultTable.Ms(Stats.Median(ours)),
                ResultTable.Ms(Stats.Median(floor)),
                ResultTable.Ratio(Stats.Median(ours), Stats.Median(floor)),
                "-"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<double> RestoreAsync(string project, string source, CancellationToken cancellationToken)
    {
        var run = Directory.CreateTempSubdirectory("run-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    {source}
                  </packageSources>
                </configuration>
                """, cancellationToken);
            foreach (var stale in new[] { "obj", "bin" })
            {
                if (Directory.Exists(Path.Combine(project, stale)))
                {
                    Directory.Delete(Path.Combine(project, stale), recursive: true);
                }
            }

            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "restore", "--disable-build-servers", "-v", "q" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["NUGET_PACKAGES"] = Path.Combine(run, "packages");
            start.Environment["NUGET_HTTP_CACHE_PATH"] = Path.Combine(run, "http-cache");
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            var started = Stopwatch.GetTimestamp();
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dotnet restore did not finish in 2 minutes.");
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet restore failed ({process.ExitCode}):\n{await output}\n{await errors}");
            }

            return elapsed;
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }
}
