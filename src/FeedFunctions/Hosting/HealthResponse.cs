using System.Text.Json.Serialization;

namespace FeedFunctions.Hosting;

/// <param name="Problems">Why the app is unhealthy (e.g. a function the host could not index); absent when healthy.</param>
public sealed record HealthResponse(
    string Status,
    string Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Problems = null);
