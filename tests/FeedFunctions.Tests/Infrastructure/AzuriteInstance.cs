using System.Diagnostics;
using System.Text.RegularExpressions;

namespace FeedFunctions.Tests.Infrastructure;

/// <summary>
/// Azurite started from node_modules on free loopback ports with in-memory persistence, stopped by its PID. One is
/// shared by every in-process test (each uses its own container/table/queue names); a Functions host gets one of
/// its own (<see cref="StartNewAsync"/>), because its queue trigger listens on the fixed queue name.
/// </summary>
public sealed partial class AzuriteInstance : IAsyncDisposable
{
    private static readonly Lazy<Task<AzuriteInstance>> Instance = new(StartNewAsync);

    private readonly Process _process;

    private AzuriteInstance(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public int ProcessId => _process.Id;

    public string ConnectionString => DevelopmentConnectionString(BlobPort, QueuePort, TablePort);

    /// <summary>Azurite's well-known development account on explicit loopback ports.</summary>
    public static string DevelopmentConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};";

    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's published development key (not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The feed's storage clients (the app's own registration) on this Azurite under <paramref name="namePrefix"/>.</summary>
    public FeedFunctions.Storage.FeedStorage CreateFeedStorage(string namePrefix, params Azure.Core.Pipeline.HttpPipelinePolicy[] policies) =>
        TestStorage.Create(ConnectionString, namePrefix, policies);

    public static Task<AzuriteInstance> GetAsync() => Instance.Value;

    public static async Task<AzuriteInstance> StartNewAsync()
    {
        var script = RepositoryPaths.InRoot("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed ({script} missing): run 'npm ci' in the repository root.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var arg in new[]
                 {
                     script, "--silent", "--inMemoryPersistence", "--extentMemoryLimit", "4096", "--disableTelemetry", "--skipApiVersionCheck",
                     "--blobHost", "127.0.0.1", "--blobPort", "0",
                     "--queueHost", "127.0.0.1", "--queuePort", "0",
                     "--tableHost", "127.0.0.1", "--tablePort", "0",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);

        var ports = new Dictionary<string, int>();
        var allListening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                allListening.TrySetException(new InvalidOperationException("Azurite exited early:\n" + output));
                return;
            }

            lock (output)
            {
                output.AppendLine(e.Data);
                var match = ListeningLine().Match(e.Data);
                if (match.Success)
                {
                    ports[match.Groups[1].Value] = int.Parse(match.Groups[2].Value);
                    if (ports.Count == 3)
                    {
                        allListening.TrySetResult();
                    }
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(allListening.Task, Task.Delay(TimeSpan.FromSeconds(60))).ConfigureAwait(false);
        if (finished != allListening.Task)
        {
            Stop(process);
            throw new TimeoutException("Azurite did not start listening within 60 s:\n" + output);
        }

        await allListening.Task.ConfigureAwait(false);
        return new AzuriteInstance(process, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
