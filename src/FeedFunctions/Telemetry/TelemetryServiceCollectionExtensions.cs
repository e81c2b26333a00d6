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

    /// <summary>APPLICATIONINSIGHTS_AUTHENTICATION_STRING: <c>Authorization=AAD</c> (and a user-assigned identity's ClientId), as the Bicep sets it.</summary>
    public const string ApplicationInsightsAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// The feed's own spans and the storage clients' operation spans (BlobClient.Upload, TableClient.SubmitTransaction,
    /// ...). Not <c>Azure.Core.Http</c>: one span per HTTP attempt under each operation would double the items per push.
    /// </summary>
    public static readonly string[] StorageSources = [FeedTelemetry.Name, "Azure.Storage.*", "Azure.Data.Tables.*"];

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
            .WithTracing(tracing => tracing.AddSource(StorageSources))
            .WithMetrics(metrics => metrics.AddMeter(FeedTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(applicationInsights))
        {
            var credential = EntraCredential(configuration[ApplicationInsightsAuthenticationSetting]);
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = applicationInsights;
                options.Credential = credential;
            });
        }

        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // Endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* variables.
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>
    /// The identity for Entra ID-authenticated ingestion (the Bicep's Application Insights accepts no other), read from
    /// the setting the host itself uses: <c>Authorization=AAD</c> and, for a user-assigned identity, <c>ClientId=...</c>.
    /// </summary>
    public static Azure.Core.TokenCredential? EntraCredential(string? authentication)
    {
        var parts = (authentication ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned);
    }
}
