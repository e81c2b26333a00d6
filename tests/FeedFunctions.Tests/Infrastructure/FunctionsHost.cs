using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FeedFunctions.Storage;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// The app as built (its output holds functions.metadata, worker.config.json and .azurefunctions/) served by the
/// real Azure Functions host through <c>func start --no-build --script-root</c> on a free port, against an Azurite
/// of its own. The host starts the isolated worker and proxies HTTP to it; the queue and timer triggers are the
/// host's. Stopped (host and worker) by killing the process tree.
/// </summary>
public sealed class FunctionsHost : IFeedUnderTest, IAsyncDisposable
{
    private const int KeptOutputLines = 4000;

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly bool _ownsAzurite;
    private long _logEntries;

    private FunctionsHost(Process process, string baseUrl, string apiKey, AzuriteInstance azurite, bool ownsAzurite, IReadOnlyDictionary<string, string> settings)
    {
        _process = process;
        _ownsAzurite = ownsAzurite;
        BaseUrl = baseUrl;
        ApiKey = apiKey;
        Azurite = azurite;
        Settings = settings;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(3) };
        Storage = TestStorage.Create(azurite.ConnectionString);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string BaseUrl { get; }

    public string PushUrl => BaseUrl + "/api/v2/package";

    public string ApiKey { get; }

    public AzuriteInstance Azurite { get; }

    public FeedStorage Storage { get; }

    public HttpClient Client { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Log entries the host has written so far (console entries start with their level: <c>info:</c>, <c>warn:</c>, ...).</summary>
    public long LogEntryCount => Interlocked.Read(ref _logEntries);

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

    /// <summary>The <c>func</c> to run: Core Tools from node_modules, else the first on PATH; null when there is none.</summary>
    public static string? FuncPath { get; } = FindFunc();

    /// <summary>Why host-level tests cannot run here, or null when they can.</summary>
    public static string? SkipReason => FuncPath is null
        ? "Azure Functions Core Tools (func) is neither in node_modules/.bin nor on PATH; on these machines put ../shared/tools on PATH."
        : null;

    /// <summary>The app's build output next to the tests (same configuration).</summary>
    public static string AppFolder()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return RepositoryPaths.InRoot("src", "FeedFunctions", "bin", configuration, "net10.0");
    }

    /// <summary>
    /// Starts a host and waits until <c>/api/health</c> answers 200 (the worker is up and its storage exists).
    /// Pass <paramref name="azurite"/> to reuse storage (a restart); otherwise the host gets a new Azurite.
    /// </summary>
    /// <param name="appFolder">What to serve; the app's build output by default (e.g. a publish output instead).</param>
    /// <param name="onlyStorage">
    /// Start as a new user would, with <c>AzureWebJobsStorage</c> and nothing else: none of the settings below, only
    /// <paramref name="settings"/> and what the launcher sets itself (FUNCTIONS_WORKER_RUNTIME, a host id).
    /// </param>
    /// <param name="waitUntilHealthy">false: return once started, without waiting for <c>/api/health</c> to answer 200.</param>
    public static async Task<FunctionsHost> StartAsync(
        IDictionary<string, string>? settings = null, AzuriteInstance? azurite = null, string? appFolder = null, bool onlyStorage = false, bool waitUntilHealthy = true)
    {
        var func = FuncPath ?? throw new InvalidOperationException(SkipReason);
        var ownsAzurite = azurite is null;
        azurite ??= await AzuriteInstance.StartNewAsync();
        var port = FreePort();
        var environment = onlyStorage ? new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString } : new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsDisableHomepage"] = "true",
            ["AzureFunctionsWebHost__hostid"] = "feedtest-" + Guid.NewGuid().ToString("N")[..12],
            ["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = "263192576",
            ["Feed__ApiKey"] = "host-key-" + Guid.NewGuid().ToString("N"),
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var start = new ProcessStartInfo(func)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in new[] { "start", "--no-build", "--script-root", appFolder ?? AppFolder(), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        // The test runner's own settings must not leak into the host or its worker.
        foreach (var name in new[] { "ASPNETCORE_URLS", "AzureWebJobsScriptRoot", "FUNCTIONS_WORKER_RUNTIME" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var host = new FunctionsHost(Process.Start(start)!, $"http://localhost:{port}", environment.GetValueOrDefault("Feed__ApiKey", string.Empty), azurite, ownsAzurite, environment);
        try
        {
            if (waitUntilHealthy)
            {
                await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(120));
            }
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"func exited with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var health = await probe.GetAsync(BaseUrl + "/api/health");
                    return health.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == HttpStatusCode.OK,
            timeout,
            "the Functions host to answer /api/health");
    }

    /// <summary>SIGKILL to the host and its worker: no shutdown, no flushing, no finally blocks.</summary>
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
        if (_ownsAzurite)
        {
            await Azurite.DisposeAsync();
        }
    }

    /// <summary>
    /// A port for a host (or a listener beside one) that no other test of this run is handed. Not a port the OS picks
    /// (bind to 0, release, pass on): between the release and func's own bind, a parallel test's port-0 bind could be
    /// given the same port, and two hosts on one port make a test talk to another test's host (seen: pushes answered
    /// by a host with other storage, then "connection refused" when that host stopped). These come from a counter
    /// below the OS's ephemeral range (32768+), where port-0 binds never land, and are checked free before use.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            var port = Interlocked.Increment(ref _nextPort);
            if (port >= EphemeralRangeStart)
            {
                Interlocked.CompareExchange(ref _nextPort, FirstPort, port);
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use by something else on the machine: take the next.
            }
        }
    }

    private const int FirstPort = 20000;

    private const int EphemeralRangeStart = 32768;

    /// <summary>Starts at a place that depends on the process, so two test runs on one machine rarely meet.</summary>
    private static int _nextPort = FirstPort + Environment.ProcessId % 400 * 30;

    private static string? FindFunc()
    {
        var local = RepositoryPaths.InRoot("node_modules", ".bin", "func");
        if (File.Exists(local) && Runs(local))
        {
            return local;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "func"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Core Tools' npm package installs a func that cannot start where its host download failed.</summary>
    private static bool Runs(string func)
    {
        try
        {
            using var version = Process.Start(new ProcessStartInfo(func, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            return version.WaitForExit(30_000) && version.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            if (line.Length > 5 && line[4] == ':' && line[..4] is "info" or "warn" or "fail" or "crit" or "dbug" or "trce")
            {
                Interlocked.Increment(ref _logEntries);
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
    }
}
