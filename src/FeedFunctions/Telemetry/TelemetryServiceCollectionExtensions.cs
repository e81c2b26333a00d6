using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FeedFunctions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Set by the Bicep (the app's Application Insights); the worker exports to Azure Monitor when present.</summary>
    public const string ApplicationInsightsSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The standard OTLP endpoint variable (e.g. a local collector); the worker exports OTLP when present.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// The worker's own OpenTelemetry, as the Functions docs describe for the isolated worker
    /// (<c>UseFunctionsWorkerDefaults</c>: the invocation span, parented by the host's trace context): the feed's
    /// spans and metrics (<see cref="FeedTelemetry"/>) and the Azure SDK's storage calls as child spans. Exported to
    /// Azure Monitor with <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>, over OTLP with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
    /// (both when both are set); with neither nothing is registered, so nothing listens and nothing is exported.
    /// </summary>
    public static IServiceCollection AddFeedTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var applicationInsights = configuration[ApplicationInsightsSetting];
        var otlp = configuration[OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(applicationInsights) && string.IsNullOrWhiteSpace(otlp))
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource(FeedTelemetry.Name, "Azure.*"))
            .WithMetrics(metrics => metrics.AddMeter(FeedTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(applicationInsights))
        {
            telemetry.UseAzureMonitorExporter(options => options.ConnectionString = applicationInsights);
        }

        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // Endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
