namespace FeedFunctions.Storage;

/// <summary>
/// Presents the Functions storage setting (<c>AzureWebJobsStorage</c>) to Microsoft.Extensions.Azure, once per
/// service. The Functions convention is either a connection string as the setting's value, or identity-based
/// settings in its section: <c>__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> (or
/// <c>__accountName</c>) with <c>__credential</c> and <c>__clientId</c>. Microsoft.Extensions.Azure takes a
/// connection string as a section's value and a service URI under the client constructor's parameter name
/// (<c>serviceUri</c>, <c>endpoint</c> for tables), so only that one key is renamed here; the credential keys pass
/// through unchanged and the SDK builds the credential and parses the connection string itself.
/// </summary>
public static class StorageConnectionSettings
{
    public const string SectionName = "AzureWebJobsStorage";

    /// <summary>What an empty setting means locally, as in Core Tools: Azurite on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public static IConfiguration ForBlobs(IConfiguration configuration) => For(configuration, "blob", "serviceUri");

    public static IConfiguration ForQueues(IConfiguration configuration) => For(configuration, "queue", "serviceUri");

    public static IConfiguration ForTables(IConfiguration configuration) => For(configuration, "table", "endpoint");

    /// <summary>True when the setting names services by URI (managed identity) rather than a connection string.</summary>
    public static bool IsIdentityBased(IConfiguration configuration) =>
        configuration.GetSection(SectionName) is { Value: null or "" } section
        && section.GetChildren().Any(c => c.Key is "blobServiceUri" or "queueServiceUri" or "tableServiceUri" or "accountName");

    private static IConfiguration For(IConfiguration configuration, string service, string uriKey)
    {
        var section = configuration.GetSection(SectionName);
        if (!IsIdentityBased(configuration))
        {
            var connectionString = string.IsNullOrWhiteSpace(section.Value) ? DevelopmentStorage : section.Value;
            return new ConfigurationBuilder().AddInMemoryCollection([new(SectionName, connectionString)]).Build().GetSection(SectionName);
        }

        var values = section.GetChildren()
            .Where(c => c.Value is not null && !c.Key.EndsWith("ServiceUri", StringComparison.OrdinalIgnoreCase) && c.Key != "accountName")
            .ToDictionary(c => c.Key, c => c.Value);
        values[uriKey] = section[service + "ServiceUri"] is { Length: > 0 } uri
            ? uri
            : section["accountName"] is { Length: > 0 } account
                ? $"https://{account}.{service}.core.windows.net"
                : throw new InvalidOperationException(
                    $"{SectionName}__{service}ServiceUri (or {SectionName}__accountName) is required with identity-based storage settings.");
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
