using System.Text.Json.Serialization;

namespace FeedFunctions.Events;

/// <summary>The response body a custom handler returns for a non-HTTP trigger: <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c>.</summary>
public sealed record FunctionInvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static FunctionInvocationResponse FromLogs(IReadOnlyList<string> logs) => new(new Dictionary<string, object?>(), logs, null);
}
