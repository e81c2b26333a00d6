using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The feed as a separate OS process (<c>dotnet FeedFunctions.dll</c>, the build of the same configuration as
/// this test assembly), so a test can kill it by its PID as a crash or an instance recycle would.
/// </summary>
public sealed class FeedProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 200;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private FeedProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public static string AppDll
    {
        get
        {
            // The test project references the app, so building the tests built the app in the same configuration.
            var configuration = typeof(FeedProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var dll = RepositoryPaths.InRoot("src", "FeedFunctions", "bin", configuration, "net10.0", "FeedFunctions.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the app first: {dll} is missing.", dll);
        }
    }

    public static async Task<FeedProcess> StartAsync(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(AppDll)!,
        };
        start.ArgumentList.Add(AppDll);
        start.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the feed process.");
        var feed = new FeedProcess(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => feed.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => feed.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"The feed process exited with {process.ExitCode}:\n{feed.Output}");
                    }

                    try
                    {
                        using var health = await feed.Client.GetAsync("/api/health");
                        return health.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                },
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60),
                "the feed process to answer /api/health");
        }
        catch
        {
            await feed.DisposeAsync();
            throw;
        }

        return feed;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no finally blocks.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
