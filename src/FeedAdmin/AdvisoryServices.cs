using FeedFunctions.Advisories;
using FeedFunctions.Events;
using FeedFunctions.Packages;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedAdmin;

/// <summary>
/// The app's own deprecation and advisory stores over the feed's storage, so a CLI change commits with its event
/// (the outbox) and rewrites the advisory snapshot exactly as the HTTP API does.
/// </summary>
internal sealed record AdvisoryServices(DeprecationStore Deprecations, AdvisoryStore Advisories)
{
    /// <summary>The name events and audit rows carry for changes made with the CLI.</summary>
    public const string Actor = "feedadmin";

    public static async Task<AdvisoryServices> OpenAsync(IConfiguration configuration, CancellationToken ct)
    {
        var storage = (await AdminStorage.OpenAsync(configuration, ct)).Storage;
        await Task.WhenAll(
            storage.PackagesTable.CreateIfNotExistsAsync(ct),
            storage.Packages.CreateIfNotExistsAsync(cancellationToken: ct),
            storage.EventsQueue.CreateIfNotExistsAsync(cancellationToken: ct));
        var outbox = new PackageEventOutbox(storage, TimeProvider.System, NullLogger<PackageEventOutbox>.Instance);
        var packages = new PackageStore(storage, outbox, NullLogger<PackageStore>.Instance);
        return new AdvisoryServices(
            new DeprecationStore(storage, packages, outbox, TimeProvider.System),
            new AdvisoryStore(storage, outbox, new AdvisorySnapshot(storage), TimeProvider.System));
    }
}
