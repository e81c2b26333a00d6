namespace FeedFunctions.Feed;

/// <summary>
/// Names of the feed's containers, tables and queues. <see cref="NamePrefix"/> lets tests share one storage
/// account (lowercase letters and digits). Not for a deployed feed: the queue trigger names its queue at build
/// time (<c>package-events</c>), so a prefixed feed would send its events where no function listens. One storage
/// account per feed.
/// </summary>
public sealed class FeedStorageOptions
{
    public string NamePrefix { get; set; } = string.Empty;

    public string PackagesContainer => Dashed("packages");

    public string PackagesTable => Joined("Packages");

    public string ApiKeysTable => Joined("ApiKeys");

    public string AuditTable => Joined("AuditLog");

    public string TrustPoliciesTable => Joined("TrustPolicies");

    /// <summary>The <c>jti</c>s of tokens whose policy accepts each token once.</summary>
    public string TokenUsesTable => Joined("TrustedTokenUses");

    /// <summary>The PDBs of pushed .snupkg files, one blob each, served by the symbol server (see Symbols/).</summary>
    public string SymbolsContainer => Dashed("symbols");

    /// <summary>SSQP key + file name → the PDB blob, and each package version's entries (see Symbols/SymbolIndex).</summary>
    public string SymbolIndexTable => Joined("SymbolIndex");
    /// <summary>The search index: one row per package id, kept by the events (docs/search.md).</summary>
    public string SearchIndexTable => Joined("SearchIndex");
    /// <summary>Versions retention never removes (<c>FeedAdmin retention pin</c>).</summary>
    public string RetentionPinsTable => Joined("RetentionPins");

    public string EventsQueue => Dashed("package-events");

    public string PoisonQueue => EventsQueue + "-poison";

    private string Dashed(string name) => NamePrefix.Length == 0 ? name : $"{NamePrefix}-{name}";

    private string Joined(string name) => NamePrefix + name;
}
