using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FeedBench;

/// <summary>
/// A published function app served by the Azure Functions host (<c>func start --no-build --script-root</c>) on a
/// free port: the host process, and the isolated worker it starts as its child. Both are killed on dispose.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _workerDll;
    private readonly Queue<string> _lastLines = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _phaseLines = new();

    private readonly StreamWriter? _log;

    private HostProcess(Process process, int port, long startedAt, string workerDll, string? logFile)
    {
        _log = logFile is null ? null : new StreamWriter(logFile) { AutoFlush = true };
        _process = process;
        _workerDll = workerDll;
        Port = port;
        StartedAt = startedAt;
        BaseUrl = $"http://localhost:{port}";
    }

    public int Port { get; }

    public string BaseUrl { get; }

    /// <summary>The Functions host's process (func execs the host, so this is the process started).</summary>
    public int HostPid => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was created.</summary>
    public long StartedAt { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="appFolder">A publish output: host.json, functions.metadata, worker.config.json, the worker dll.</param>
    /// <param name="workerDll">The worker's file name, to find its process among the host's children.</param>
    /// <param name="logFile">Every line the host and worker print, time-stamped, goes here too.</param>
    /// <param name="defaultLogLevels">Leave the app's own log levels (host.json, worker) as a user gets them.</param>
    public static HostProcess Start(
        string func, string appFolder, string workerDll, IReadOnlyDictionary<string, string> environment, string? logFile = null, bool defaultLogLevels = false)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(func)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = appFolder,
        };
        foreach (var argument in new[] { "start", "--no-build", "--script-root", appFolder, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["AzureFunctionsWebHost__hostid"] = "bench-" + Guid.NewGuid().ToString("N")[..12];
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        if (!defaultLogLevels)
        {
            // Information-level lines per invocation (host and worker) would measure the logger, not the app.
            start.Environment["AzureFunctionsJobHost__logging__logLevel__default"] = "Warning";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {func}.");
        var host = new HostProcess(process, port, startedAt, workerDll, logFile);
        process.OutputDataReceived += (_, e) => host.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => host.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Polls GET <paramref name="path"/> until it answers 2xx; returns the time since the host was started.</summary>
    public async Task<TimeSpan> WaitReadyAsync(string path, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(30) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {_process.ExitCode} before answering:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(BaseUrl + path).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            // Until the script host runs, the host answers 503 at once: poll fast, start-up is what is measured.
            await Task.Delay(2).ConfigureAwait(false);
        }

        throw new TimeoutException($"The host did not answer GET {path} within {timeout}:\n{Output}");
    }

    /// <summary>The worker process: the host's child running <c>_workerDll</c>.</summary>
    public int WorkerPid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent == HostPid && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(_workerDll, StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        throw new InvalidOperationException($"No worker process ({_workerDll}) under host {HostPid}.");
    }

    /// <summary>(VmHWM, VmRSS) in bytes of process <paramref name="pid"/>, from /proc/&lt;pid&gt;/status.</summary>
    public static (long Peak, long Current) ReadMemory(int pid)
    {
        long peak = 0, current = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line);
            }
        }

        return (peak, current);
    }

    /// <summary>Resets VmHWM to the current RSS (Linux 4.0+), so the next peak belongs to what follows.</summary>
    public static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string Output
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_lastLines)
        {
            _log?.Dispose();
        }
    }

    /// <summary>The "Push phases" Debug lines the worker logged (through the host) since the last call (see PushPhases in the app).</summary>
    public List<string> TakePhaseLines()
    {
        var lines = new List<string>();
        while (_phaseLines.TryDequeue(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_log is not null)
        {
            lock (_lastLines)
            {
                _log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            }
        }

        if (line.Contains("Push phases", StringComparison.Ordinal))
        {
            _phaseLines.Enqueue(line);
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
