namespace FeedFunctions.Feed;

/// <summary>
/// Names of the feed's containers, tables and queues. <see cref="NamePrefix"/> lets several feeds (or tests)
/// share one storage account; it must be lowercase letters and digits.
/// </summary>
public sealed class FeedStorageOptions
{
    public string NamePrefix { get; set; } = string.Empty;

    public string PackagesContainer => Dashed("packages");

    public string PackagesTable => Joined("Packages");

    public string ApiKeysTable => Joined("ApiKeys");

    public string AuditTable => Joined("AuditLog");

    public string EventsQueue => Dashed("package-events");

    public string PoisonQueue => EventsQueue + "-poison";

    private string Dashed(string name) => NamePrefix.Length == 0 ? name : $"{NamePrefix}-{name}";

    private string Joined(string name) => NamePrefix + name;
}
