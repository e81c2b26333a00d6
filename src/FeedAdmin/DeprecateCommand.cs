using System.CommandLine;
using FeedFunctions.Advisories;
using FeedFunctions.Packages;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin deprecate &lt;id&gt; &lt;version|range&gt; --reason ...</c> and <c>FeedAdmin undeprecate &lt;id&gt; &lt;version|range&gt;</c>.
/// A plain version means exactly that version; a range (<c>"[1.0.0, 2.0.0)"</c>) every version of the id in it.
/// Bad input is exit code 2 with the reason, an id or version that is not on the feed exit code 1; nothing is stored.
/// </summary>
public static class DeprecateCommand
{
    public static IEnumerable<Command> Create(IConfiguration configuration, TextWriter output)
    {
        var id = new Argument<string>("id") { Description = "The package id." };
        var versions = new Argument<string>("version-or-range") { Description = "A version (exactly that one) or a NuGet version range such as \"[1.0.0, 2.0.0)\"." };
        var reasons = new Option<string[]>("--reason")
        {
            Description = "legacy, critical-bugs or other (repeatable).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var message = new Option<string?>("--message") { Description = $"A message for consumers (at most {PackageDeprecation.MaxMessageLength} characters)." };
        var alternate = new Option<string?>("--alternate") { Description = "The package to use instead: <id> or <id>@<range>, e.g. Contoso.Http@[2.0.0, )." };
        var deprecate = new Command("deprecate", "Deprecate a version or a range of versions.") { id, versions, reasons, message, alternate };
        deprecate.SetAction((result, ct) => DeprecateAsync(
            configuration, output, result.GetRequiredValue(id), result.GetRequiredValue(versions),
            result.GetValue(reasons) ?? [], result.GetValue(message), result.GetValue(alternate), ct));

        var undeprecateId = new Argument<string>("id") { Description = "The package id." };
        var undeprecateVersions = new Argument<string>("version-or-range") { Description = "A version or a NuGet version range." };
        var undeprecate = new Command("undeprecate", "Remove the deprecation of a version or a range of versions.") { undeprecateId, undeprecateVersions };
        undeprecate.SetAction((result, ct) => SetAsync(
            configuration, output, result.GetRequiredValue(undeprecateId), result.GetRequiredValue(undeprecateVersions), deprecation: null, ct));

        return [deprecate, undeprecate];
    }

    private static async Task<int> DeprecateAsync(
        IConfiguration configuration, TextWriter output, string id, string versions, string[] reasons, string? message, string? alternate, CancellationToken ct)
    {
        var (alternateId, alternateRange) = alternate?.Split('@', 2) is [var altId, var altRange] ? (altId, altRange) : (alternate, null);
        var deprecation = PackageDeprecation.TryCreate(
            reasons.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            message, alternateId, alternateRange, out var error);
        if (deprecation is null)
        {
            await output.WriteLineAsync("error: " + error);
            return 2;
        }

        return await SetAsync(configuration, output, id, versions, deprecation, ct);
    }

    private static async Task<int> SetAsync(
        IConfiguration configuration, TextWriter output, string id, string versions, PackageDeprecation? deprecation, CancellationToken ct)
    {
        if (!PackageIdentity.TryValidateId(id, out var error) || VersionSelector.TryParse(versions, out error) is not { } selector)
        {
            await output.WriteLineAsync("error: " + error);
            return 2;
        }

        var services = await AdvisoryServices.OpenAsync(configuration, ct);
        var result = await services.Deprecations.SetAsync(id, selector, deprecation, AdvisoryServices.Actor, ct);
        if (result.Versions.Count == 0)
        {
            await output.WriteLineAsync($"error: package '{id}' has no version matching '{selector}'.");
            return 1;
        }

        var action = deprecation is null ? "Undeprecated" : $"Deprecated ({deprecation.Describe()})";
        await output.WriteLineAsync($"{action} {id} {string.Join(", ", result.Versions)}: {result.Changed} of {result.Versions.Count} version(s) changed.");
        return 0;
    }
}
