using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using FeedFunctions.Auth;
using FeedFunctions.Feed;
using FeedFunctions.Storage;
using FeedFunctions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FeedFunctions.Tests.Reliability;

/// <summary>
/// Every write route against every kind of key, and the timing of the key check: PUT push, DELETE (unlist),
/// POST (relist) and PUT /api/v2/symbolpackage.
/// </summary>
[Collection(TimingSensitive.Name)]
public sealed class AuthMatrixTests(ITestOutputHelper output)
{
    private const string Id = "Contoso.Matrix";

    public enum Key
    {
        None,
        Unknown,
        Expired,
        Revoked,
        WrongScope,
        WrongGlob,
        Valid,
    }

    public enum Route
    {
        Push,
        Unlist,
        Relist,
        Symbols,
    }

    [Fact]
    public async Task Every_write_route_answers_each_kind_of_key_with_the_right_status_and_refusals_change_nothing()
    {
        var report = new ScenarioReport("auth matrix");
        await using var host = await FeedAppHost.StartAsync();
        var store = host.Services.GetRequiredService<ApiKeyStore>();
        var (_, valid) = await store.CreateAsync("valid", ApiKeyScopes.Push | ApiKeyScopes.Unlist, ["Contoso.*"], DateTimeOffset.UtcNow.AddDays(1));
        var (_, expired) = await store.CreateAsync("expired", ApiKeyScopes.All, [], DateTimeOffset.UtcNow.AddMinutes(-1));
        var (revokedRecord, revoked) = await store.CreateAsync("revoked", ApiKeyScopes.All, [], null);
        Assert.Equal(1, await store.RevokeAsync(revokedRecord.KeyId));
        var (_, pushOnly) = await store.CreateAsync("push-only", ApiKeyScopes.Push, [], null);
        var (_, unlistOnly) = await store.CreateAsync("unlist-only", ApiKeyScopes.Unlist, [], null);
        var (_, otherGlob) = await store.CreateAsync("other-glob", ApiKeyScopes.All, ["Fabrikam.*"], null);
        // Same key id as a real key, secret changed: the row is found, the hash does not match.
        var unknown = valid[..^4] + (valid.EndsWith("aaaa", StringComparison.Ordinal) ? "bbbb" : "aaaa");
        using (var seed = await FeedHttp.PushAsync(host, TestPackage.Create(Id, "1.0.0").ToBytes()))
        {
            Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
        }

        string? KeyFor(Key key, Route route) => key switch
        {
            Key.None => null,
            Key.Unknown => unknown,
            Key.Expired => expired,
            Key.Revoked => revoked,
            Key.WrongScope => route is Route.Push or Route.Symbols ? unlistOnly : pushOnly,
            Key.WrongGlob => otherGlob,
            _ => valid,
        };

        var version = 1;
        var table = new List<string>();
        // Refusals first, so every refusal is checked against the untouched seed; then the valid key per route.
        foreach (var key in Enum.GetValues<Key>())
        {
            foreach (var route in Enum.GetValues<Route>())
            {
                var apiKey = KeyFor(key, route);
                var before = await FeedInvariants.ReadAsync(host.Storage, verifyBytes: false);
                HttpResponseMessage response;
                if (route == Route.Push)
                {
                    var bytes = TestPackage.Create(Id, $"2.0.{version++}").ToBytes();
                    response = apiKey is null
                        ? await host.Client.SendAsync(WithoutKey(FeedHttp.PushRequest(host, bytes)))
                        : await FeedHttp.PushAsync(host, bytes, apiKey);
                }
                else if (route == Route.Symbols)
                {
                    var snupkg = TestPackage.Create(Id, "1.0.0").WithMetadataXml("<packageTypes><packageType name=\"SymbolsPackage\" /></packageTypes>").ToBytes();
                    var request = FeedHttp.PushRequest(host, snupkg, apiKey);
                    request.RequestUri = new Uri(host.BaseUrl + "/api/v2/symbolpackage");
                    response = await host.Client.SendAsync(apiKey is null ? WithoutKey(request) : request);
                }
                else
                {
                    response = await FeedHttp.SendAsync(host, route == Route.Unlist ? HttpMethod.Delete : HttpMethod.Post, $"/api/v2/package/{Id}/1.0.0", apiKey);
                }

                using (response)
                {
                    report.Request();
                    var expected = key switch
                    {
                        Key.None => HttpStatusCode.Unauthorized,
                        Key.Valid => route switch { Route.Push or Route.Symbols => HttpStatusCode.Created, Route.Unlist => HttpStatusCode.NoContent, _ => HttpStatusCode.OK },
                        _ => HttpStatusCode.Forbidden,
                    };
                    table.Add($"{route,-6} x {key,-10} -> {(int)response.StatusCode} {response.ReasonPhrase}");
                    if (response.StatusCode != expected || string.IsNullOrEmpty(response.ReasonPhrase))
                    {
                        report.Violation($"{route} with {key} key: expected {(int)expected}, got {(int)response.StatusCode} {response.ReasonPhrase}");
                    }

                    if (key == Key.None && !response.Headers.WwwAuthenticate.Any())
                    {
                        report.Violation($"{route} without a key: 401 without a WWW-Authenticate challenge");
                    }

                    if (key != Key.Valid)
                    {
                        report.Failure();
                        var after = await FeedInvariants.ReadAsync(host.Storage, verifyBytes: false);
                        if (after.Rows.Count != before.Rows.Count || after.Blobs != before.Blobs ||
                            after.Rows.Single(r => r.Version == "1.0.0").ETag != before.Rows.Single(r => r.Version == "1.0.0").ETag)
                        {
                            report.Violation($"{route} with {key} key changed the feed");
                        }
                    }
                }
            }
        }

        // The valid key on a version that does not exist: 404, not 403 or 2xx.
        foreach (var method in new[] { HttpMethod.Delete, HttpMethod.Post })
        {
            using var missing = await FeedHttp.SendAsync(host, method, $"/api/v2/package/{Id}/9.9.9", valid);
            report.Request();
            table.Add($"{method,-6} x Valid (absent version) -> {(int)missing.StatusCode} {missing.ReasonPhrase}");
            if (missing.StatusCode != HttpStatusCode.NotFound)
            {
                report.Violation($"{method} of an absent version with a valid key: {(int)missing.StatusCode}");
            }
        }

        report.Notes.AddRange(table);
        report.AssertClean(output);
    }

    /// <summary>
    /// The key check must not tell an attacker how much of a key is right. Keys are never compared directly: the
    /// presented key is hashed (SHA-256) and the hash compared with CryptographicOperations.FixedTimeEquals, which
    /// reads every byte whatever the first difference. So a key matching all but its last character costs the same
    /// as one matching nothing, and, because of the hash, even a byte-by-byte early-exit comparison could leak only
    /// how many HASH bytes match, which an attacker cannot steer. This measures both layers, interleaving the
    /// variants so drift hits them alike, and compares medians with a generous band. A control shows that the same
    /// harness does see an early-exit comparison on the same 32-byte hashes, so a pass is not just a blind harness.
    /// </summary>
    [Fact]
    public async Task Key_verification_time_does_not_depend_on_how_many_characters_match()
    {
        var report = new ScenarioReport("auth timing");
        var stored = SHA256.HashData("nfk_0123456789ab_the-real-secret"u8);
        var noneMatch = stored.Select(b => (byte)~b).ToArray();
        var allButLast = stored.ToArray();
        allButLast[^1] ^= 0xFF;
        var samples = Soak.Pick(101, 2001);

        // Built once; the measurements below may be repeated.
        var configured = "feed-key-" + new string('s', 55);
        var options = Options.Create(new FeedOptions { ApiKey = configured });
        var storage = TestStorage.Create("UseDevelopmentStorage=true");
        var authenticator = new ApiKeyAuthenticator(new ApiKeyStore(storage, TimeProvider.System), options, TimeProvider.System);
        var closeKey = configured[..^1] + "t";
        var farKey = new string('x', configured.Length);
        Assert.Equal(ApiKeyCheckResult.Invalid, (await authenticator.AuthenticateAsync(closeKey, CancellationToken.None)).Result);
        Assert.Equal(ApiKeyCheckResult.Invalid, (await authenticator.AuthenticateAsync(farKey, CancellationToken.None)).Result);

        // A real leak shows up in every measurement; a burst of load from another process shows up in one. So a
        // measurement outside the band is repeated (at most three times) before it counts as a leak.
        double hashRatio = 0, keyRatio = 0, controlRatio = 0;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            hashRatio = MedianRatio(samples, 10_000, () => ApiKeyHasher.HashEquals(allButLast, stored), () => ApiKeyHasher.HashEquals(noneMatch, stored));
            controlRatio = MedianRatio(samples, 10_000, () => EarlyExitEquals(allButLast, stored), () => EarlyExitEquals(noneMatch, stored));

            // End to end through the authenticator with the configured full-access key: the presented keys differ
            // from it in the last character only, or in every character.
            keyRatio = MedianRatio(samples, 2_000,
                () => authenticator.AuthenticateAsync(closeKey, CancellationToken.None).GetAwaiter().GetResult().Result == ApiKeyCheckResult.Valid,
                () => authenticator.AuthenticateAsync(farKey, CancellationToken.None).GetAwaiter().GetResult().Result == ApiKeyCheckResult.Valid);
            report.Notes.Add($"attempt {attempt}: HashEquals={hashRatio:F3} authenticator={keyRatio:F3} control={controlRatio:F3}");
            if (hashRatio is >= 0.5 and <= 2.0 && keyRatio is >= 0.5 and <= 2.0 && controlRatio > 2.0)
            {
                break;
            }
        }

        report.Request(samples * (10_000 * 4 + 2_000 * 2));
        report.Notes.Add($"median time ratio, all-but-one / none matching: HashEquals={hashRatio:F3} authenticator={keyRatio:F3} (control, early-exit compare={controlRatio:F3})");
        report.Print(output);
        Assert.InRange(hashRatio, 0.5, 2.0);
        Assert.InRange(keyRatio, 0.5, 2.0);
        Assert.True(controlRatio > 2.0, $"the harness could not see an early-exit comparison (ratio {controlRatio:F3}); the timing check proves nothing on this machine");
    }

    private static HttpRequestMessage WithoutKey(HttpRequestMessage request)
    {
        request.Headers.Remove("X-NuGet-ApiKey");
        return request;
    }

    private static bool EarlyExitEquals(byte[] a, byte[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Median over <paramref name="samples"/> batches of (time of <paramref name="a"/>) / (time of <paramref name="b"/>).</summary>
    private static double MedianRatio(int samples, int iterations, Func<bool> a, Func<bool> b)
    {
        var sink = false;
        for (var i = 0; i < iterations; i++)
        {
            sink ^= a() ^ b();
        }

        var ta = new long[samples];
        var tb = new long[samples];
        for (var s = 0; s < samples; s++)
        {
            // Alternate which variant goes first so neither always runs on a warmer cache.
            var first = s % 2 == 0;
            var t1 = Time(first ? a : b, iterations, ref sink);
            var t2 = Time(first ? b : a, iterations, ref sink);
            (ta[s], tb[s]) = first ? (t1, t2) : (t2, t1);
        }

        GC.KeepAlive(sink);
        Array.Sort(ta);
        Array.Sort(tb);
        return (double)ta[samples / 2] / Math.Max(1, tb[samples / 2]);
    }

    private static long Time(Func<bool> f, int iterations, ref bool sink)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            sink ^= f();
        }

        return Stopwatch.GetTimestamp() - start;
    }
}
