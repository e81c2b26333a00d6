using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace FeedFunctions.Hosting;

/// <summary>
/// Whether the host can index every function, judged in the worker from the same metadata the host gets
/// (<see cref="ConfiguredFunctionMetadataProvider"/>) and the same settings (the host and its worker share the app
/// settings as environment variables, on Azure as locally). The host disables a function whose binding names a
/// <c>%setting%</c> that does not resolve, or whose timer schedule does not parse, and runs on without it; this
/// finds those cases so that <c>/api/health</c> answers 503 naming the function. Checked once: settings do not
/// change while a worker runs. Why not ask the host: its admin API (<c>/admin/functions</c>) needs the master key,
/// which the worker does not have on Azure; and heartbeats from the triggers cost storage writes and could not
/// tell "disabled" from "nothing to do yet". Where the host indexes functions.metadata itself (worker indexing off in
/// worker.config.json), a schedule override is not applied, and the file is what is checked.
/// </summary>
public sealed partial class FunctionIndexingCheck(IConfiguration configuration, IServiceProvider services, ILogger<FunctionIndexingCheck> logger)
{
    private readonly Lazy<Task<IReadOnlyList<string>>> _problems = new(() => FindAsync(configuration, services, logger));

    /// <summary>One line per function the host cannot index, naming the function and the reason; empty when all are fine.</summary>
    public Task<IReadOnlyList<string>> ProblemsAsync() => _problems.Value;

    /// <summary>The problems of these functions' bindings under these settings.</summary>
    public static IReadOnlyList<string> Check(IEnumerable<IFunctionMetadata> functions, IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var function in functions)
        {
            var name = function.Name ?? "(unnamed)";
            if (ConfiguredFunctionMetadataProvider.ScheduleSettings.TryGetValue(name, out var setting)
                && configuration[setting] is { Length: > 0 } schedule && !TimerSchedules.IsValid(schedule))
            {
                problems.Add($"{name}: {setting} '{schedule}' is not a CRON expression; the built-in schedule runs instead");
            }

            foreach (var raw in function.RawBindings ?? [])
            {
                if (JsonNode.Parse(raw) is not JsonObject binding)
                {
                    continue;
                }

                foreach (var text in Strings(binding))
                {
                    foreach (Match reference in SettingReference().Matches(text))
                    {
                        if (string.IsNullOrEmpty(configuration[reference.Groups[1].Value]))
                        {
                            problems.Add($"{name}: app setting '{reference.Groups[1].Value}' is not set, so the host cannot index the function and has disabled it");
                        }
                    }
                }

                if (TimerSchedules.IsTimerTrigger(binding) && (string?)binding["schedule"] is { } literal
                    && !SettingReference().IsMatch(literal) && !TimerSchedules.IsValid(literal))
                {
                    problems.Add($"{name}: timer schedule '{literal}' is not a CRON expression, so the host has disabled the function");
                }
            }
        }

        return problems;
    }

    private static async Task<IReadOnlyList<string>> FindAsync(IConfiguration configuration, IServiceProvider services, ILogger logger)
    {
        IReadOnlyList<string> problems;
        try
        {
            problems = Check(await IndexedMetadataAsync(services.GetService<IFunctionMetadataProvider>()).ConfigureAwait(false), configuration);
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            problems = ["the functions' metadata cannot be read: " + ex.Message];
        }

        foreach (var problem in problems)
        {
            logger.LogError("Function not indexed: {Problem}", problem);
        }

        return problems;
    }

    /// <summary>
    /// The metadata the host indexes. With worker indexing (worker.config.json, which the host reads to decide) the
    /// host asks the worker, which answers from the metadata the Worker SDK compiled into the assembly; without it,
    /// the host reads functions.metadata itself.
    /// </summary>
    private static async Task<IEnumerable<IFunctionMetadata>> IndexedMetadataAsync(IFunctionMetadataProvider? provider)
    {
        if (provider is null)
        {
            // The tests' in-process host: no Functions host indexes anything.
            return [];
        }

        var folder = AppContext.BaseDirectory;
        var workerConfig = Path.Combine(folder, "worker.config.json");
        var workerIndexing = !File.Exists(workerConfig)
            || string.Equals((string?)JsonNode.Parse(File.ReadAllText(workerConfig))?["description"]?["workerIndexing"], "true", StringComparison.OrdinalIgnoreCase);
        return workerIndexing
            ? await provider.GetFunctionMetadataAsync(folder).ConfigureAwait(false)
            : ReadFile(Path.Combine(folder, "functions.metadata"));
    }

    private static List<IFunctionMetadata> ReadFile(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Select(function => (IFunctionMetadata)new DefaultFunctionMetadata
            {
                Name = (string?)function?["name"],
                RawBindings = function?["bindings"]?.AsArray().Select(binding => binding?.ToJsonString() ?? "{}").ToList() ?? [],
            })
            .ToList();

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(property => Strings(property.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
