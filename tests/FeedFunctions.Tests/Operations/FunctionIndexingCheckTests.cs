using FeedFunctions.Events;
using FeedFunctions.Hosting;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FeedFunctions.Tests.Operations;

/// <summary>The worker's view of what the host can index, and the sweep schedule override it hands the host.</summary>
public sealed class FunctionIndexingCheckTests
{
    private static DefaultFunctionMetadata Timer(string name, string schedule) => new()
    {
        Name = name,
        RawBindings = [$$"""{"name":"timer","direction":"In","type":"timerTrigger","schedule":"{{schedule}}","useMonitor":false}"""],
    };

    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void An_unresolved_setting_in_a_binding_names_the_function()
    {
        var problems = FunctionIndexingCheck.Check([Timer("SweepOutbox", "%Feed:Missing%"), Timer("Other", "%Feed:Present%")], Settings(("Feed:Present", "0 * * * * *")));

        Assert.StartsWith("SweepOutbox: app setting 'Feed:Missing' is not set", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_schedules_need_no_setting()
    {
        Assert.Empty(FunctionIndexingCheck.Check([Timer(nameof(EventFunctions.SweepOutbox), EventFunctions.DefaultSweepSchedule), Timer("Prune", "0 17 * * * *")], Settings()));
    }

    [Theory]
    [InlineData("*/2 * * * * *", "*/2 * * * * *")]
    [InlineData("0 */15 * * * *", "0 */15 * * * *")]
    [InlineData("every minute", EventFunctions.DefaultSweepSchedule)]
    [InlineData("", EventFunctions.DefaultSweepSchedule)]
    public void The_sweep_schedule_setting_overrides_the_built_in_one_only_when_valid(string setting, string expected)
    {
        var sweep = Timer(nameof(EventFunctions.SweepOutbox), EventFunctions.DefaultSweepSchedule);
        var settings = Settings(("Feed:Events:SweepSchedule", setting));

        ConfiguredFunctionMetadataProvider.ApplyScheduleOverride(sweep, settings);

        Assert.Contains($"\"schedule\":\"{expected}\"", sweep.RawBindings![0], StringComparison.Ordinal);
        var problems = FunctionIndexingCheck.Check([sweep], settings);
        if (setting == "every minute")
        {
            Assert.StartsWith("SweepOutbox: Feed:Events:SweepSchedule 'every minute' is not a CRON expression", Assert.Single(problems), StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(problems);
        }
    }

    [Fact]
    public async Task Health_answers_503_naming_a_function_the_host_cannot_index()
    {
        await using var feed = await Infrastructure.FeedAppHost.StartAsync(services: services =>
            services.AddSingleton<IFunctionMetadataProvider>(new FixedMetadata(Timer("SweepOutbox", "%Feed:Missing%"))));

        using var health = await feed.Client.GetAsync("/api/health");
        var body = await health.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"status\":\"unhealthy\"", body, StringComparison.Ordinal);
        Assert.Contains("SweepOutbox: app setting 'Feed:Missing' is not set", body, StringComparison.Ordinal);
    }

    private sealed class FixedMetadata(params IFunctionMetadata[] functions) : IFunctionMetadataProvider
    {
        public Task<System.Collections.Immutable.ImmutableArray<IFunctionMetadata>> GetFunctionMetadataAsync(string directory) =>
            Task.FromResult(System.Collections.Immutable.ImmutableArray.Create(functions));
    }
}
