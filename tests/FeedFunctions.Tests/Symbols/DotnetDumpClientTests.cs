using System.Diagnostics;
using Azure.Core.Pipeline;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Symbols;

/// <summary>
/// A real symbol client: SOS in <c>dotnet-dump analyze</c>, installed from the registry. A program stops inside a
/// library packed with a .snupkg and pushed to the feed; its dump is analysed with the feed as the only symbol
/// server and no PDB beside the DLL, so source lines in <c>clrstack</c> can only come from the PDB SOS downloaded
/// (by the SSQP key it computed from the module in the dump). SOS sends no SymbolChecksum here (with
/// Feed:Symbols:RequireChecksum it asked and got 404: a dump holds the module's image only in part, so SOS has no
/// PdbChecksum entry to send), which is why the checksum rule is tested with the spec-written client.
/// </summary>
public sealed class DotnetDumpClientTests(ITestOutputHelper output)
{
    private const string DotnetDumpVersion = "10.0.750501";

    [Fact]
    public async Task Sos_in_dotnet_dump_downloads_the_pdb_from_the_feed_and_shows_source_lines()
    {
        var recording = new RecordingPolicy();
        await using var host = await FeedAppHost.StartAsync(services: s => s.AddSingleton<HttpPipelinePolicy>(recording));
        using var cli = new NuGetCli(host.BaseUrl + "/v3/index.json");
        var root = Directory.CreateDirectory(Path.Combine(cli.Directory, "dump")).FullName;

        // The library, packed with symbols and pushed with the real client.
        var library = Directory.CreateDirectory(Path.Combine(root, "lib")).FullName;
        await File.WriteAllTextAsync(Path.Combine(library, "Contoso.Dumped.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Version>1.0.0</Version>
                <Authors>Contoso</Authors>
                <Description>Stops in a frame of its own for the dump test.</Description>
                <IncludeSymbols>true</IncludeSymbols>
                <SymbolPackageFormat>snupkg</SymbolPackageFormat>
              </PropertyGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(library, "Waiter.cs"), """
            namespace Contoso.Dumped;

            public static class Waiter
            {
                public static void Wait()
                {
                    System.Console.WriteLine("ready");
                    new System.Threading.ManualResetEventSlim().Wait(); // held in this frame until the test kills the process
                }
            }
            """);
        var packed = Path.Combine(root, "packed");
        Succeeded(await cli.RunAsync(["pack", library, "-c", "Release", "-o", packed], timeout: TimeSpan.FromMinutes(5)));
        Succeeded(await cli.PushAsync(Path.Combine(packed, "Contoso.Dumped.1.0.0.nupkg"), host.ApiKey));

        // The program references the DLL out of the .nupkg, with no PDB beside it.
        var dll = Path.Combine(root, "Contoso.Dumped.dll");
        await File.WriteAllBytesAsync(dll, SymbolPackages.Entry(Path.Combine(packed, "Contoso.Dumped.1.0.0.nupkg"), ".dll"));
        var app = Directory.CreateDirectory(Path.Combine(root, "app")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "DumpMe.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="Contoso.Dumped" HintPath="{dll}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), "Contoso.Dumped.Waiter.Wait();");
        var bin = Path.Combine(root, "bin");
        Succeeded(await cli.RunAsync(["build", app, "-c", "Release", "-o", bin], timeout: TimeSpan.FromMinutes(5)));
        Assert.False(File.Exists(Path.Combine(bin, "Contoso.Dumped.pdb")));

        var tools = Path.Combine(root, "tools");
        Succeeded(await RunAsync("dotnet", ["tool", "install", "dotnet-dump", "--version", DotnetDumpVersion, "--tool-path", tools], TimeSpan.FromMinutes(5)));
        var dotnetDump = Path.Combine(tools, "dotnet-dump");

        using var program = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(bin, "DumpMe.dll")]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            Assert.Equal("ready", await program.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1)));
            var dump = Path.Combine(root, "app.dmp");
            Succeeded(await RunAsync(dotnetDump, ["collect", "-p", program.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dump, "--type", "Heap"], TimeSpan.FromMinutes(3)));

            var cache = Path.Combine(root, "symbolcache");
            recording.Requests.Clear();
            var analysis = await RunAsync(
                dotnetDump,
                ["analyze", dump, "-c", $"setsymbolserver -cache {cache} {host.BaseUrl}/download/symbols", "-c", "clrstack -all", "-c", "exit"],
                TimeSpan.FromMinutes(5));
            output.WriteLine(analysis.ToString());
            output.WriteLine(string.Join('\n', recording.Requests));

            Succeeded(analysis);
            Assert.Contains("Waiter.cs @ 8", analysis.Output);
            Assert.Contains(recording.Requests, r => r.Contains("-symbols/", StringComparison.Ordinal) && r.EndsWith("/contoso.dumped.pdb", StringComparison.Ordinal));
        }
        finally
        {
            program.Kill(entireProcessTree: true);
        }
    }

    private static void Succeeded(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    private static async Task<CliResult> RunAsync(string file, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time.\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout + await stderr);
    }
}
