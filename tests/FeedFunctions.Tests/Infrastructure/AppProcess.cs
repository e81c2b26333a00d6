using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>The feed as a separate OS process (as the Functions host runs it), stopped by its PID.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptOutputLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private AppProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public HttpClient Client { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>
    /// Starts the built app on a free port with <paramref name="environment"/> and waits until /api/health answers
    /// 200, i.e. until its storage is ready too.
    /// </summary>
    public static async Task<AppProcess> StartBuiltAsync(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var settings = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_NOLOGO"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var app = Start("dotnet", [BuiltAppDll()], settings, $"http://127.0.0.1:{port}");
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    if (app.HasExited)
                    {
                        throw new InvalidOperationException($"The app exited with {app._process.ExitCode}:\n{app.Output}");
                    }

                    try
                    {
                        using var health = await app.Client.GetAsync("/api/health");
                        return health.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return HttpStatusCode.ServiceUnavailable;
                    }
                },
                status => status == HttpStatusCode.OK,
                TimeSpan.FromSeconds(60),
                "the app process to answer /api/health");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>The app as built next to the tests (same configuration), run with <c>dotnet FeedFunctions.dll</c>.</summary>
    public static string BuiltAppDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return RepositoryPaths.InRoot("src", "FeedFunctions", "bin", configuration, "net10.0", "FeedFunctions.dll");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static AppProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, string baseUrl)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(fileName) is { Length: > 0 } dir && Path.IsPathRooted(fileName) ? dir : RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own ASP.NET settings must not leak into the app under test.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new AppProcess(Process.Start(start)!, baseUrl);
    }

    /// <summary>Polls GET / until the app answers, like the Functions host's readiness probe.</summary>
    public async Task<TimeSpan> WaitUntilReadyAsync(TimeSpan timeout)
    {
        var started = Stopwatch.StartNew();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode} before answering:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(BaseUrl + "/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return started.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"The app did not answer GET / within {timeout}:\n{Output}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>SIGTERM by PID (a clean stop), then the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no finally blocks.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Enqueue(line);
                if (_output.Count > KeptOutputLines)
                {
                    _output.Dequeue();
                }
            }
        }
    }
}
