namespace FeedFunctions.Events;

/// <summary>The response body a custom handler returns for a non-HTTP trigger: <c>{"Outputs":{},"Logs":[],"ReturnValue":null}</c>.</summary>
public sealed record FunctionInvocationResponse(IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue)
{
    public static FunctionInvocationResponse FromLogs(IReadOnlyList<string> logs) => new(new Dictionary<string, object?>(), logs, null);
}
