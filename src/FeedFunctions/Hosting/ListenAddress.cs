namespace FeedFunctions.Hosting;

/// <summary>
/// Picks the address Kestrel listens on. The Functions host sets FUNCTIONS_CUSTOMHANDLER_PORT and always calls
/// 127.0.0.1 on it; outside the host ASPNETCORE_URLS (or --urls) wins, and a bare local run uses the port
/// <c>func start</c> would use.
/// </summary>
public static class ListenAddress
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public const string LocalDefault = "http://localhost:7071";

    public static string? Resolve(IConfiguration configuration)
    {
        var port = configuration[CustomHandlerPortVariable];
        if (!string.IsNullOrWhiteSpace(port))
        {
            return int.TryParse(port, out var number) && number is > 0 and < 65536
                ? $"http://127.0.0.1:{number}"
                : throw new InvalidOperationException($"{CustomHandlerPortVariable} must be a TCP port number.");
        }

        // ASPNETCORE_URLS / --urls are already honoured by the host; only fill the gap.
        return string.IsNullOrWhiteSpace(configuration["urls"]) ? LocalDefault : null;
    }

    public static bool RunsUnderFunctionsHost(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[CustomHandlerPortVariable]);
}
