using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FeedFunctions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// Issue 18's hang, reproduced on the host: storage stops answering (Azurite stopped with SIGSTOP, as its own queue
/// GC does for tens of seconds under sustained pushes) while clients push. Before the fix, the work a push did after
/// its answer (the event send) ran in <c>Response.OnCompleted</c>, which holds the host's keep-alive proxy connection,
/// so the next push proxied on it never reached the worker; its invocation timed out in the worker after 15 s
/// ("Timed out waiting for the function start call") and the host answered 500 after the stall. Now every push that
/// was in flight or sent during the stall completes with 201 once storage answers again.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class StorageStallTests(ITestOutputHelper output)
{
    /// <summary>Longer than the worker's 15 s wait for a request to meet its invocation.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(20);

    [HostFact]
    public async Task Pushes_during_a_storage_stall_longer_than_the_invocation_handoff_timeout_all_answer_201()
    {
        await using var azurite = await AzuriteInstance.StartNewAsync();
        await using var host = await FunctionsHost.StartAsync(azurite: azurite);
        const int clients = 4;
        var results = new ConcurrentBag<(int Client, int N, HttpStatusCode Status, TimeSpan Took, string Reason)>();
        var clock = Stopwatch.StartNew();
        var resumed = new TaskCompletionSource();

        var pushers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            // One connection per client, kept alive, as the NuGet client does.
            using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromMinutes(3) };
            var afterResume = 0;
            for (var n = 0; afterResume < 2; n++)
            {
                var wasResumed = resumed.Task.IsCompleted;
                var package = TestPackage.Create($"Contoso.Stall.C{client}", $"1.0.{n}").ToBytes();
                var watch = Stopwatch.StartNew();
                using var content = new ByteArrayContent(package);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
                using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v2/package") { Content = content };
                request.Headers.Add("X-NuGet-ApiKey", host.ApiKey);
                using var response = await http.SendAsync(request);
                results.Add((client, n, response.StatusCode, watch.Elapsed, response.ReasonPhrase ?? string.Empty));
                if (wasResumed)
                {
                    afterResume++;
                }
            }
        })).ToArray();

        // Let the pushes run, then stop storage while they are in flight.
        await Poll.UntilAsync(() => Task.FromResult(results.Count), count => count >= 3 * clients, TimeSpan.FromSeconds(60), "the first pushes");
        Signal(azurite.ProcessId, "STOP");
        var stoppedAt = clock.Elapsed;
        await Task.Delay(Stall); // The stall's length is the stimulus; nothing waits here for a state to be reached.
        Signal(azurite.ProcessId, "CONT");
        resumed.SetResult();
        await Task.WhenAll(pushers).WaitAsync(TimeSpan.FromMinutes(3));

        foreach (var r in results.Where(r => r.Status != HttpStatusCode.Created || r.Took > TimeSpan.FromSeconds(5)).OrderBy(r => r.Client).ThenBy(r => r.N))
        {
            output.WriteLine($"client {r.Client} push {r.N}: {(int)r.Status} {r.Reason} after {r.Took.TotalSeconds:F1} s");
        }

        output.WriteLine($"stopped storage at {stoppedAt.TotalSeconds:F1} s for {Stall.TotalSeconds:F0} s; {results.Count} pushes");
        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.Created, $"client {r.Client} push {r.N}: {(int)r.Status} {r.Reason} after {r.Took.TotalSeconds:F1} s"));
        Assert.Contains(results, r => r.Took >= Stall - TimeSpan.FromSeconds(2)); // Some push really waited through the stall.
        Assert.DoesNotContain("Timed out waiting for the function start call", host.Output, StringComparison.Ordinal);
        Assert.All(results, r => Assert.True(r.Took < Stall + TimeSpan.FromSeconds(15), $"push took {r.Took.TotalSeconds:F1} s"));
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}
