namespace FeedFunctions.Hosting;

public sealed record HealthResponse(string Status, string Version);
