using System.Collections.Immutable;
using System.Text.Json.Nodes;
using FeedFunctions.Events;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;

namespace FeedFunctions.Hosting;

/// <summary>
/// The functions' metadata as the worker hands it to the host (worker indexing: worker.config.json has
/// <c>"workerIndexing": "true"</c>), with timer schedules taken from optional settings. A timer's schedule in the
/// attribute is a literal, so the host indexes it with no setting at all; a <c>%setting%</c> there would disable
/// the function wherever the setting is missing. The override is read here, in the worker, where it can have a
/// default and be validated: an invalid value keeps the built-in schedule and is reported by
/// <see cref="FunctionIndexingCheck"/> (<c>/api/health</c> answers 503).
/// </summary>
public sealed class ConfiguredFunctionMetadataProvider(IFunctionMetadataProvider inner, IConfiguration configuration) : IFunctionMetadataProvider
{
    /// <summary>Timer function name → the setting that may override its schedule.</summary>
    public static readonly IReadOnlyDictionary<string, string> ScheduleSettings = new Dictionary<string, string>
    {
        [nameof(EventFunctions.SweepOutbox)] = EventsOptions.SectionName + ":" + nameof(EventsOptions.SweepSchedule),
    };

    public async Task<ImmutableArray<IFunctionMetadata>> GetFunctionMetadataAsync(string directory)
    {
        var functions = await inner.GetFunctionMetadataAsync(directory).ConfigureAwait(false);
        foreach (var function in functions)
        {
            ApplyScheduleOverride(function, configuration);
        }

        return functions;
    }

    /// <summary>Replaces the timer trigger's schedule with the configured one, when one is configured and valid.</summary>
    public static void ApplyScheduleOverride(IFunctionMetadata function, IConfiguration configuration)
    {
        if (function.Name is null || function.RawBindings is not { } bindings
            || !ScheduleSettings.TryGetValue(function.Name, out var setting)
            || configuration[setting] is not { Length: > 0 } schedule || !TimerSchedules.IsValid(schedule))
        {
            return;
        }

        for (var i = 0; i < bindings.Count; i++)
        {
            if (JsonNode.Parse(bindings[i]) is JsonObject binding && TimerSchedules.IsTimerTrigger(binding))
            {
                binding["schedule"] = schedule;
                bindings[i] = binding.ToJsonString();
            }
        }
    }
}
