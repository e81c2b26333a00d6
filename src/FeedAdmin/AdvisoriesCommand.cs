using System.CommandLine;
using FeedFunctions.Advisories;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin advisories add|list|remove</c>: vulnerability advisories for the feed's own packages, served to NuGet's
/// restore audit (VulnerabilityInfo) and in registration leaves. Bad input is exit code 2 with the reason, an unknown id
/// exit code 1; nothing is stored.
/// </summary>
public static class AdvisoriesCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output)
    {
        var id = new Option<string>("--id") { Description = "The package id (on this feed).", Required = true };
        var versions = new Option<string>("--versions") { Description = "The vulnerable versions, a NuGet version range such as \"[1.0.0, 1.2.3)\".", Required = true };
        var severity = new Option<string>("--severity") { Description = "low, moderate, high or critical.", Required = true };
        var url = new Option<string>("--url") { Description = "The advisory's https URL.", Required = true };
        var add = new Command("add", "Add an advisory.") { id, versions, severity, url };
        add.SetAction((result, ct) => AddAsync(
            configuration, output, result.GetRequiredValue(id), result.GetRequiredValue(versions), result.GetRequiredValue(severity), result.GetRequiredValue(url), ct));

        var listId = new Option<string?>("--id") { Description = "Only this package id's advisories." };
        var list = new Command("list", "List advisories.") { listId };
        list.SetAction((result, ct) => ListAsync(configuration, output, result.GetValue(listId), ct));

        var advisoryId = new Argument<string>("advisory-id") { Description = "The advisory id, from 'list'." };
        var remove = new Command("remove", "Remove an advisory.") { advisoryId };
        remove.SetAction((result, ct) => RemoveAsync(configuration, output, result.GetRequiredValue(advisoryId), ct));

        return new Command("advisories", "Manage vulnerability advisories for the feed's packages.") { add, list, remove };
    }

    private static async Task<int> AddAsync(
        IConfiguration configuration, TextWriter output, string id, string versions, string severity, string url, CancellationToken ct)
    {
        if (AdvisoryRequest.TryCreate(id, versions, severity, url, out var error) is not { } request)
        {
            await output.WriteLineAsync("error: " + error);
            return 2;
        }

        var services = await AdvisoryServices.OpenAsync(configuration, ct);
        var (status, advisory) = await services.Advisories.AddAsync(request, AdvisoryServices.Actor, ct);
        switch (status)
        {
            case AdvisoryAddStatus.UnknownId:
                await output.WriteLineAsync($"error: package '{id}' is not on this feed.");
                return 1;
            case AdvisoryAddStatus.Conflict:
                await output.WriteLineAsync($"error: '{id}' already has advisory {advisory?.AdvisoryId} with this URL (another range or severity); remove it first.");
                return 1;
            default:
                await output.WriteLineAsync($"{(status == AdvisoryAddStatus.Created ? "Added" : "Already present")}: {AdvisoryStore.Format(advisory!)}");
                return 0;
        }
    }

    private static async Task<int> ListAsync(IConfiguration configuration, TextWriter output, string? id, CancellationToken ct)
    {
        var services = await AdvisoryServices.OpenAsync(configuration, ct);
        var advisories = id is null ? await services.Advisories.ListAsync(ct) : await services.Advisories.ListForIdAsync(id.ToLowerInvariant(), ct);
        foreach (var advisory in advisories)
        {
            await output.WriteLineAsync(AdvisoryStore.Format(advisory));
        }

        return 0;
    }

    private static async Task<int> RemoveAsync(IConfiguration configuration, TextWriter output, string advisoryId, CancellationToken ct)
    {
        var services = await AdvisoryServices.OpenAsync(configuration, ct);
        var removed = await services.Advisories.RemoveAsync(advisoryId, AdvisoryServices.Actor, ct);
        await output.WriteLineAsync(removed is null ? $"error: no advisory '{advisoryId}'." : $"Removed: {AdvisoryStore.Format(removed)}");
        return removed is null ? 1 : 0;
    }
}
