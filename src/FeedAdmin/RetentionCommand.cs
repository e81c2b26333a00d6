using System.CommandLine;
using System.Globalization;
using FeedFunctions.Retention;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin retention preview|pin|unpin|pins</c>: what the retention settings (<c>Feed__Retention__*</c>, read from
/// the environment like the app's) would remove, and the versions they must never remove.
/// </summary>
public static class RetentionCommand
{
    public static Command Create(IConfiguration configuration, TextWriter output)
    {
        var previewId = new Option<string?>("--id") { Description = "Only this package id (default: every id on the feed, which reads every version row)." };
        var preview = new Command("preview", "Print what the current Feed__Retention__* settings would remove now, with the rule for each version. Changes nothing.") { previewId };
        preview.SetAction((result, ct) => RunAsync(output, () => PreviewAsync(configuration, output, result.GetValue(previewId), ct)));

        var pinId = new Argument<string>("id") { Description = "The package id." };
        var pinVersion = new Argument<string>("version") { Description = "The version (normalized: 1.0 = 1.0.0)." };
        var pin = new Command("pin", "Pin a version: retention never removes it.") { pinId, pinVersion };
        pin.SetAction((result, ct) => RunAsync(output, async () =>
        {
            var pinned = await (await OpenPinsAsync(configuration, ct)).PinAsync(result.GetRequiredValue(pinId), result.GetRequiredValue(pinVersion), ct);
            await output.WriteLineAsync($"Pinned {pinned.Id} {pinned.Version} (since {pinned.PinnedAt:u}).");
            return 0;
        }));

        var unpinId = new Argument<string>("id") { Description = "The package id." };
        var unpinVersion = new Argument<string>("version") { Description = "The version." };
        var unpin = new Command("unpin", "Remove a pin: the version falls under the rules again (at the id's next push, or the daily run).") { unpinId, unpinVersion };
        unpin.SetAction((result, ct) => RunAsync(output, async () =>
        {
            var (id, version) = (result.GetRequiredValue(unpinId), result.GetRequiredValue(unpinVersion));
            var removed = await (await OpenPinsAsync(configuration, ct)).UnpinAsync(id, version, ct);
            await output.WriteLineAsync(removed ? $"Unpinned {id} {version}." : $"{id} {version} was not pinned.");
            return removed ? 0 : 1;
        }));

        var pinsId = new Option<string?>("--id") { Description = "Only this package id." };
        var list = new Command("pins", "List pinned versions.") { pinsId };
        list.SetAction((result, ct) => RunAsync(output, async () =>
        {
            foreach (var p in await (await OpenPinsAsync(configuration, ct)).ListAsync(result.GetValue(pinsId)?.ToLowerInvariant(), ct))
            {
                await output.WriteLineAsync($"{p.Id} {p.Version} pinned {p.PinnedAt:u}");
            }

            return 0;
        }));

        return new Command("retention", "Preview retention, and pin versions it must never remove.") { preview, pin, unpin, list };
    }

    private static async Task<int> PreviewAsync(IConfiguration configuration, TextWriter output, string? id, CancellationToken ct)
    {
        var options = RetentionOptions.Read(configuration);
        if (!options.Enabled)
        {
            await output.WriteLineAsync("Retention is off (no rule is set): nothing would be removed. Set Feed__Retention__* for this command to preview them.");
            return 0;
        }

        await output.WriteLineAsync(
            $"Rules: MaxPrereleaseVersionsPerId={options.MaxPrereleaseVersionsPerId} MaxStableVersionsPerMajor={options.MaxStableVersionsPerMajor} " +
            $"PrereleaseMaxAge={options.PrereleaseMaxAge?.ToString("c", CultureInfo.InvariantCulture) ?? "none"} Action={options.Action} " +
            $"Exempt={(options.Exempt.Count == 0 ? "none" : string.Join(",", options.Exempt))}");
        var storage = (await AdminStorage.OpenAsync(configuration, ct)).Storage;
        var preview = new RetentionPreview(storage, new RetentionPinStore(storage, TimeProvider.System), options, TimeProvider.System);
        var (count, bytes, ids) = (0, 0L, new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        await foreach (var removal in preview.RunAsync(id?.ToLowerInvariant(), ct))
        {
            await output.WriteLineAsync($"{options.Action.ToString().ToLowerInvariant()} {removal.Version.Id} {removal.Version.Version} {removal.Rule} {removal.Version.Size} bytes");
            (count, bytes) = (count + 1, bytes + removal.Version.Size);
            ids.Add(removal.Version.Id);
        }

        await output.WriteLineAsync($"{count} version(s) of {ids.Count} id(s) would be {(options.Action == RetentionAction.Delete ? "deleted" : "unlisted")} ({bytes} bytes of .nupkg).");
        return 0;
    }

    /// <summary>A bad id, version or setting is a usage error: the reason and exit code 1, not a stack trace.</summary>
    private static async Task<int> RunAsync(TextWriter output, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await output.WriteLineAsync("error: " + ex.Message.Split(" (Parameter", 2)[0]);
            return 1;
        }
    }

    private static async Task<RetentionPinStore> OpenPinsAsync(IConfiguration configuration, CancellationToken ct) =>
        new((await AdminStorage.OpenAsync(configuration, ct)).Storage, TimeProvider.System);
}
