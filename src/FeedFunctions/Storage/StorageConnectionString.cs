namespace FeedFunctions.Storage;

/// <summary>
/// Parses Azure Storage connection strings the way the Azure SDK does: <c>UseDevelopmentStorage=true</c>,
/// account name + key with automatic endpoints, and explicit (emulator, path-style) endpoints.
/// </summary>
public static class StorageConnectionString
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static StorageConnection Parse(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                throw new FormatException("Storage connection string entries must be 'Name=Value'.");
            }

            var name = entry[..equals].Trim();
            if (!settings.TryAdd(name, entry[(equals + 1)..].Trim()))
            {
                throw new FormatException($"Storage connection string names '{name}' twice.");
            }
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            return ParseDevelopment(settings);
        }

        if (!settings.TryGetValue("AccountName", out var account) || !settings.TryGetValue("AccountKey", out var key))
        {
            throw new FormatException(
                "Storage connection string needs AccountName and AccountKey (or UseDevelopmentStorage=true). " +
                "For managed identity use the AzureWebJobsStorage__*ServiceUri settings instead.");
        }

        if (account.Length == 0 || key.Length == 0)
        {
            // Caught here so a blank setting surfaces as a connection string problem, not an argument error.
            throw new FormatException("Storage connection string has an empty AccountName or AccountKey.");
        }

        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("DefaultEndpointsProtocol must be http or https.");
        }

        var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net");
        Uri Endpoint(string service) =>
            settings.TryGetValue(service + "Endpoint", out var explicitEndpoint)
                ? ParseEndpoint(service, explicitEndpoint)
                : new Uri($"{protocol}://{account}.{service.ToLowerInvariant()}.{suffix}");

        return new StorageConnection(
            Endpoint("Blob"), Endpoint("Queue"), Endpoint("Table"), new StorageSharedKeyCredential(account, key));
    }

    private static StorageConnection ParseDevelopment(Dictionary<string, string> settings)
    {
        var proxy = settings.TryGetValue("DevelopmentStorageProxyUri", out var proxyText)
            ? ParseEndpoint("DevelopmentStorageProxy", proxyText)
            : new Uri("http://127.0.0.1");
        Uri Endpoint(int port) => new($"{proxy.Scheme}://{proxy.Host}:{port}/{DevelopmentAccountName}");
        return new StorageConnection(
            Endpoint(10000), Endpoint(10001), Endpoint(10002),
            new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey));
    }

    private static Uri ParseEndpoint(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{name}Endpoint must be an absolute http(s) URI.");
}
