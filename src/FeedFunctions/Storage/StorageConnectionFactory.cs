using Azure.Core;
using Azure.Identity;

namespace FeedFunctions.Storage;

/// <summary>
/// Reads the Functions convention for the storage connection: the <c>AzureWebJobsStorage</c> connection string,
/// or identity-based <c>AzureWebJobsStorage__blobServiceUri/__queueServiceUri/__tableServiceUri</c> with
/// <c>__credential=managedidentity</c> and an optional <c>__clientId</c> for a user-assigned identity.
/// </summary>
public static class StorageConnectionFactory
{
    public const string SettingName = "AzureWebJobsStorage";

    public static StorageConnection Create(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        var blob = section["blobServiceUri"];
        if (!string.IsNullOrEmpty(blob))
        {
            return FromIdentity(section, new Uri(blob));
        }

        var accountName = section["accountName"];
        if (!string.IsNullOrEmpty(accountName))
        {
            return FromIdentity(section, new Uri($"https://{accountName}.blob.core.windows.net"));
        }

        var connectionString = configuration[SettingName];
        return StorageConnectionString.Parse(string.IsNullOrWhiteSpace(connectionString) ? "UseDevelopmentStorage=true" : connectionString);
    }

    private static StorageConnection FromIdentity(IConfigurationSection section, Uri blob)
    {
        Uri Derived(string key, string service) =>
            section[key] is { Length: > 0 } explicitUri
                ? new Uri(explicitUri)
                : new Uri(blob.GetLeftPart(UriPartial.Authority).Replace(".blob.", $".{service}.", StringComparison.OrdinalIgnoreCase));

        return new StorageConnection(blob, Derived("queueServiceUri", "queue"), Derived("tableServiceUri", "table"), CreateCredential(section));
    }

    internal static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var clientId = section["clientId"];
        if (string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
