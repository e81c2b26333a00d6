using System.CommandLine;
using FeedFunctions.Auth;
using Microsoft.Extensions.Configuration;

namespace FeedAdmin;

/// <summary>
/// <c>FeedAdmin keys create|list|revoke</c>: manages scoped API keys in the feed's table with the app's own key
/// store and the same settings (AzureWebJobsStorage, Feed__Storage__NamePrefix). The key is printed once, at creation.
/// </summary>
public static class KeysCommand
{
    /// <summary>Runs the whole CLI (kept here for the callers that knew only the keys commands).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, IConfiguration? configuration = null) =>
        AdminCommand.RunAsync(args, output, configuration);

    public static Command Create(IConfiguration configuration, TextWriter output)
    {
        var name = new Option<string>("--name") { Description = "A name for the key (shown in logs and events).", Required = true };
        var scopes = new Option<string>("--scopes")
        {
            Description = "Comma-separated: push, pushversion, unlist, read, manage, all (all = every scope but manage).",
            DefaultValueFactory = _ => "push,unlist",
        };
        var globs = new Option<string[]>("--glob") { Description = "Package id glob the key is limited to, e.g. Contoso.* (repeatable).", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until the key expires (default: 365; 0 = never)." };
        var create = new Command("create", "Create a key and print it once.") { name, scopes, globs, days };
        create.SetAction((result, ct) => CreateAsync(
            configuration, output, result.GetRequiredValue(name), result.GetRequiredValue(scopes), result.GetValue(globs) ?? [], result.GetValue(days), ct));

        var list = new Command("list", "List keys (never the keys themselves).");
        list.SetAction((_, ct) => ListAsync(configuration, output, ct));

        var target = new Argument<string>("key-id-or-name") { Description = "The key id (from 'list') or the key's name." };
        var revoke = new Command("revoke", "Revoke a key by id or name.") { target };
        revoke.SetAction((result, ct) => RevokeAsync(configuration, output, result.GetRequiredValue(target), ct));

        return new Command("keys", "Manage the feed's API keys.") { create, list, revoke };
    }

    internal static ApiKeyScopes ParseScopes(string text)
    {
        var scopes = ApiKeyScopes.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            scopes |= part.ToLowerInvariant() switch
            {
                "push" => ApiKeyScopes.Push,
                "pushversion" => ApiKeyScopes.PushVersion,
                "unlist" => ApiKeyScopes.Unlist,
                "read" => ApiKeyScopes.Read,
                "manage" => ApiKeyScopes.Manage,
                "all" => ApiKeyScopes.All,
                _ => throw new ArgumentException($"Unknown scope '{part}'. Use push, pushversion, unlist, read, manage or all."),
            };
        }

        return scopes == ApiKeyScopes.None ? throw new ArgumentException("At least one scope is required.") : scopes;
    }

    private static async Task<int> CreateAsync(IConfiguration configuration, TextWriter output, string name, string scopeText, string[] globs, int? days, CancellationToken ct)
    {
        var store = await OpenStoreAsync(configuration, ct);
        var expires = days is 0 ? (DateTimeOffset?)null : DateTimeOffset.UtcNow.AddDays(days ?? 365);
        var (record, key) = await store.CreateAsync(name, ParseScopes(scopeText), globs, expires, ct);
        await output.WriteLineAsync($"Created key '{record.Name}' (id {record.KeyId}, scopes {record.Scopes}, " +
                                    $"packages {(globs.Length == 0 ? "*" : string.Join(",", globs))}, expires {record.ExpiresAt?.ToString("u") ?? "never"}).");
        await output.WriteLineAsync("Copy it now; it is stored only as a hash and cannot be shown again:");
        await output.WriteLineAsync(key);
        return 0;
    }

    private static async Task<int> ListAsync(IConfiguration configuration, TextWriter output, CancellationToken ct)
    {
        var store = await OpenStoreAsync(configuration, ct);
        foreach (var r in await store.ListAsync(ct))
        {
            var state = r.Revoked ? "revoked" : r.ExpiresAt is { } e && e <= DateTimeOffset.UtcNow ? "expired" : "active";
            await output.WriteLineAsync($"{r.KeyId}  {r.Name,-24} {r.Scopes,-30} {(r.PackageGlobs.Count == 0 ? "*" : string.Join(",", r.PackageGlobs)),-20} " +
                                        $"expires {r.ExpiresAt?.ToString("u") ?? "never",-22} {state}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(IConfiguration configuration, TextWriter output, string target, CancellationToken ct)
    {
        var count = await (await OpenStoreAsync(configuration, ct)).RevokeAsync(target, ct);
        await output.WriteLineAsync(count == 0 ? $"No active key matches '{target}'." : $"Revoked {count} key(s).");
        return count == 0 ? 1 : 0;
    }

    private static async Task<ApiKeyStore> OpenStoreAsync(IConfiguration configuration, CancellationToken ct) =>
        new((await AdminStorage.OpenAsync(configuration, ct)).Storage, TimeProvider.System);
}
